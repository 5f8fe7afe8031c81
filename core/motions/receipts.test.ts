import { describe, expect, it } from 'bun:test'
import { createReceiptCode, hashReceipt, normalizeReceiptCode } from './receipts.ts'

const motionId = '3f1c2a9e-7b8d-4c1e-9a2b-5d6e7f8a9b0c'

describe('receipt codes', () => {
  it('are 10 Crockford base32 characters and do not repeat', () => {
    const codes = Array.from({ length: 2000 }, createReceiptCode)
    for (const code of codes) expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/)
    expect(new Set(codes).size).toBe(codes.length)
  })

  it.each([
    ['7kq2m-x9d4a', '7KQ2MX9D4A'],
    [' 7KQ2M X9D4A ', '7KQ2MX9D4A'],
    ['OIL00-11111', '0110011111'],
    ['7KQ2M-X9D4', null],
    ['7KQ2M-X9D4U', null],
  ])('normalizes %p to %p', (code, expected) => {
    expect(normalizeReceiptCode(code)).toBe(expected)
  })

  it('hash to SHA-256 of motion id and normalized code, equal for every way of typing it', () => {
    const hash = hashReceipt(motionId, '7KQ2M-X9D4A')
    expect(hash).toBe(new Bun.CryptoHasher('sha256').update(`${motionId}7KQ2MX9D4A`).digest('hex'))
    expect(hashReceipt(motionId, '7kq2mx9d4a')).toBe(hash)
    expect(hashReceipt(crypto.randomUUID(), '7KQ2M-X9D4A')).not.toBe(hash)
  })
})
