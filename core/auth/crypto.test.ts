import { describe, expect, it } from 'bun:test'
import { deriveKey, equalBytes, randomDigits, randomToken, signValue, verifySigned } from './crypto.ts'

const bytes = (...values: number[]) => new Uint8Array(values)

describe('randomToken', () => {
  it('carries at least 160 bits by default', () => {
    // Lower-case base32: 5 bits per character.
    expect(randomToken().length * 5).toBeGreaterThanOrEqual(160)
  })

  it('uses only the lower-case base32 alphabet', () => {
    for (let i = 0; i < 200; i++) expect(randomToken()).toMatch(/^[a-z2-7]+$/)
  })

  it('scales with the requested number of bytes', () => {
    expect(randomToken(10)).toHaveLength(16)
    expect(randomToken(32)).toHaveLength(52)
  })

  it('never repeats', () => {
    const tokens = new Set(Array.from({ length: 5000 }, () => randomToken()))
    expect(tokens.size).toBe(5000)
  })
})

describe('randomDigits', () => {
  it('always gives exactly the requested number of decimal digits, leading zeros kept', () => {
    const codes = Array.from({ length: 2000 }, () => randomDigits(6))
    for (const code of codes) expect(code).toMatch(/^[0-9]{6}$/)
    expect(codes.some((code) => code.startsWith('0'))).toBe(true)
  })

  it('draws every digit, each roughly a tenth of the time', () => {
    const counts = new Map<string, number>()
    for (const digit of randomDigits(10_000)) counts.set(digit, (counts.get(digit) ?? 0) + 1)
    expect([...counts.keys()].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'])
    // Expected 1000 each with a standard deviation of 30: these bounds are > 6 sigma wide.
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(800)
      expect(n).toBeLessThan(1200)
    }
  })

  it('does not repeat codes more than chance allows', () => {
    const codes = new Set(Array.from({ length: 1000 }, () => randomDigits(6)))
    // 1000 draws from a million: about 0.5 collisions expected.
    expect(codes.size).toBeGreaterThan(990)
  })
})

describe('signValue / verifySigned', () => {
  const key = deriveKey(bytes(...Array.from({ length: 32 }, (_, i) => i)), 'test-signing')
  const other = deriveKey(bytes(...Array.from({ length: 32 }, (_, i) => i)), 'other-signing')
  const token = signValue(key, 'unit:42.assembly:7')

  it('returns the payload of an untouched token, dots in the payload included', () => {
    expect(verifySigned(key, token)).toBe('unit:42.assembly:7')
  })

  const flip = (text: string, index: number) =>
    text.slice(0, index) + (text[index] === 'A' ? 'B' : 'A') + text.slice(index + 1)
  const mac = token.slice(token.lastIndexOf('.') + 1)

  const rejected: [string, Uint8Array, string][] = [
    ['a changed payload', key, token.replace('unit:42', 'unit:43')],
    ['a changed MAC', key, flip(token, token.length - 1)],
    ['a truncated MAC', key, token.slice(0, -1)],
    ['an empty MAC', key, 'unit:42.assembly:7.'],
    ['no MAC at all', key, 'unit:42'],
    ['an empty payload', key, `.${mac}`],
    ['the MAC of another payload', key, `unit:43.assembly:7.${mac}`],
    ['another key', other, token],
    ['an empty string', key, ''],
  ]
  it.each(rejected)('rejects %s', (_name, verifyKey, candidate) => {
    expect(verifySigned(verifyKey, candidate)).toBeNull()
  })
})

describe('deriveKey', () => {
  const secret = bytes(...Array.from({ length: 32 }, (_, i) => 255 - i))

  it('is deterministic for one secret and purpose', () => {
    expect(deriveKey(secret, 'secret-box')).toEqual(deriveKey(secret, 'secret-box'))
  })

  it('gives a different key for each purpose', () => {
    const keys = ['secret-box', 'checkin', 'tally-link', 'secret-box '].map((purpose) =>
      Buffer.from(deriveKey(secret, purpose)).toString('hex'),
    )
    expect(new Set(keys).size).toBe(4)
  })

  it('gives a different key for another secret', () => {
    expect(deriveKey(secret, 'checkin')).not.toEqual(deriveKey(bytes(1, 2, 3), 'checkin'))
  })

  it('gives 256-bit keys that are not the secret itself', () => {
    const derived = deriveKey(secret, 'secret-box')
    expect(derived).toHaveLength(32)
    expect(derived).not.toEqual(secret)
  })
})

describe('equalBytes', () => {
  const cases: [string, Uint8Array, Uint8Array, boolean][] = [
    ['equal arrays', bytes(1, 2, 3), bytes(1, 2, 3), true],
    ['two empty arrays', bytes(), bytes(), true],
    ['a different last byte', bytes(1, 2, 3), bytes(1, 2, 4), false],
    ['a different first byte', bytes(0, 2, 3), bytes(1, 2, 3), false],
    ['a shorter array with the same prefix', bytes(1, 2), bytes(1, 2, 3), false],
    ['a longer array with the same prefix', bytes(1, 2, 3, 0), bytes(1, 2, 3), false],
  ]
  it.each(cases)('compares %s', (_name, a, b, expected) => {
    expect(equalBytes(a, b)).toBe(expected)
  })
})
