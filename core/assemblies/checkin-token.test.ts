import { describe, expect, it } from 'bun:test'
import { createCheckInToken, verifyCheckInToken } from './checkin-token.ts'

const KEY = 'k'.repeat(32)
const claims = { assemblyId: crypto.randomUUID(), personId: crypto.randomUUID() }

describe('check-in tokens', () => {
  it('round-trips the assembly and the person', () => {
    expect(verifyCheckInToken(KEY, createCheckInToken(KEY, claims))).toEqual(claims)
  })

  it('is 64 URL-safe characters', () => {
    expect(createCheckInToken(KEY, claims)).toMatch(/^[A-Za-z0-9_-]{64}$/)
  })

  it('accepts a key given as bytes', () => {
    const key = new Uint8Array(32).fill(7)
    expect(verifyCheckInToken(key, createCheckInToken(key, claims))).toEqual(claims)
  })

  it('refuses a code signed with another key', () => {
    expect(verifyCheckInToken('x'.repeat(32), createCheckInToken(KEY, claims))).toBeNull()
  })

  it('refuses a code whose person was swapped', () => {
    const genuine = Buffer.from(createCheckInToken(KEY, claims), 'base64url')
    const other = Buffer.from(
      createCheckInToken(KEY, { ...claims, personId: crypto.randomUUID() }),
      'base64url',
    )
    const forged = Buffer.concat([genuine.subarray(0, 16), other.subarray(16, 32), genuine.subarray(32)])
    expect(verifyCheckInToken(KEY, forged.toString('base64url'))).toBeNull()
  })

  it.each([
    ['empty', ''],
    ['too short', 'abc'],
    ['not base64url', '!'.repeat(64)],
  ])('refuses a malformed code (%s)', (_name, token) => {
    expect(verifyCheckInToken(KEY, token)).toBeNull()
  })

  it('refuses to sign with a short key', () => {
    expect(() => createCheckInToken('short', claims)).toThrow(/at least 32 bytes/)
  })
})
