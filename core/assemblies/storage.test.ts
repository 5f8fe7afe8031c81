import { afterAll, describe, expect, it } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createLocalDocumentStorage, newDocumentKey } from './storage.ts'

const root = mkdtempSync(join(tmpdir(), 'documents-'))
const storage = createLocalDocumentStorage(root)
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('local document storage', () => {
  it('writes the bytes under <root>/<org>/<uuid>', async () => {
    const organizationId = crypto.randomUUID()
    const key = newDocumentKey(organizationId)
    await storage.put(key, new Uint8Array([1, 2, 3]))
    expect([key.startsWith(`${organizationId}/`), [...(await readFile(join(root, key)))]]).toEqual([
      true,
      [1, 2, 3],
    ])
  })

  it('reads back what it stored', async () => {
    const key = newDocumentKey(crypto.randomUUID())
    await storage.put(key, new TextEncoder().encode('poder firmado'))
    expect(new TextDecoder().decode((await storage.get(key))!)).toBe('poder firmado')
  })

  it('returns null for a missing document', async () => {
    expect(await storage.get(newDocumentKey(crypto.randomUUID()))).toBeNull()
  })

  it('deletes a document', async () => {
    const key = newDocumentKey(crypto.randomUUID())
    await storage.put(key, new Uint8Array([9]))
    await storage.delete(key)
    expect(await storage.get(key)).toBeNull()
  })

  it.each([['../../etc/passwd'], ['/etc/passwd'], [`${crypto.randomUUID()}/../x`]])(
    'refuses the key %p',
    async (key) => {
      await expect(storage.put(key, new Uint8Array([1]))).rejects.toThrow(/Invalid document key/)
    },
  )
})
