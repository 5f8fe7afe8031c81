import { describe, expect, it } from 'bun:test'
import { createSecretBox } from './secrets.ts'

const key = crypto.getRandomValues(new Uint8Array(32))
const box = createSecretBox(key)

/** Changes one base64url character of part `index` (0 version, 1 nonce, 2 ciphertext+tag). */
function tamper(stored: string, index: number, position = 0): string {
  const parts = stored.split('.')
  const part = parts[index]!
  const replacement = part[position] === 'A' ? 'B' : 'A'
  parts[index] = part.slice(0, position) + replacement + part.slice(position + 1)
  return parts.join('.')
}

describe('createSecretBox', () => {
  const plaintexts: [string, string][] = [
    ['an ASCII token', 'EAAGm0PX4ZCpsBA-whatsapp-token'],
    ['an empty string', ''],
    ['non-ASCII text', 'contraseña de la administración — ñ, ü, 🏢'],
    ['a long value', 'x'.repeat(10_000)],
  ]
  it.each(plaintexts)('round-trips %s', async (_name, plaintext) => {
    expect(await box.decrypt(await box.encrypt(plaintext))).toBe(plaintext)
  })

  it('round-trips under a context when decrypted with the same context', async () => {
    const stored = await box.encrypt('token', 'organization:1:whatsapp')
    expect(await box.decrypt(stored, 'organization:1:whatsapp')).toBe('token')
  })

  it('stores the versioned form v1.<nonce>.<ciphertext>', async () => {
    const stored = await box.encrypt('token')
    expect(stored).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/)
  })

  it('does not contain the plaintext', async () => {
    const stored = await box.encrypt('plain-secret-value')
    expect(stored).not.toContain('plain-secret-value')
    expect(stored).not.toContain(Buffer.from('plain-secret-value').toString('base64url'))
  })

  it('uses a fresh random nonce for every encryption of the same value', async () => {
    const stored = await Promise.all(Array.from({ length: 50 }, () => box.encrypt('same value')))
    expect(new Set(stored).size).toBe(50)
    expect(new Set(stored.map((value) => value.split('.')[1])).size).toBe(50)
  })

  const tampered: [string, (stored: string) => string][] = [
    ['a changed first ciphertext byte', (stored) => tamper(stored, 2, 0)],
    ['a changed authentication tag', (stored) => tamper(stored, 2, stored.split('.')[2]!.length - 2)],
    ['a changed nonce', (stored) => tamper(stored, 1, 3)],
    ['a truncated ciphertext', (stored) => stored.slice(0, -4)],
    ['another version', (stored) => stored.replace(/^v1\./, 'v2.')],
    ['a missing part', (stored) => stored.split('.').slice(0, 2).join('.')],
    ['not an encrypted value at all', () => 'plain-text-token'],
  ]
  it.each(tampered)('refuses %s', async (_name, mangle) => {
    const stored = await box.encrypt('whatsapp token')
    await expect(box.decrypt(mangle(stored))).rejects.toThrow()
  })

  it('refuses a value encrypted under another key', async () => {
    const other = createSecretBox(crypto.getRandomValues(new Uint8Array(32)))
    const stored = await other.encrypt('whatsapp token')
    await expect(box.decrypt(stored)).rejects.toThrow()
  })

  it('refuses a value moved to another context (e.g. another PH)', async () => {
    const stored = await box.encrypt('whatsapp token', 'organization:1')
    await expect(box.decrypt(stored, 'organization:2')).rejects.toThrow()
    await expect(box.decrypt(stored)).rejects.toThrow()
  })

  it('decrypts with a second box built from the same key (e.g. after a restart)', async () => {
    const stored = await box.encrypt('whatsapp token')
    expect(await createSecretBox(new Uint8Array(key)).decrypt(stored)).toBe('whatsapp token')
  })
})
