import { describe, expect, it } from 'bun:test'
import { createScreenToken, createTicket, verifyScreenToken, verifyTicket } from './realtime-tokens.ts'

const key = crypto.getRandomValues(new Uint8Array(32))
const otherKey = crypto.getRandomValues(new Uint8Array(32))
const grant = { organizationId: 'org-1', assemblyId: 'asm-1' }

describe('realtime tokens', () => {
  it('accepts a fresh ticket and returns its user', () => {
    expect(verifyTicket(key, createTicket(key, 'user-1'))?.userId).toBe('user-1')
  })

  it.each([
    ['expired', () => createTicket(key, 'u', 1000, Date.now() - 5000)],
    ['signed with another key', () => createTicket(otherKey, 'u')],
    ['tampered', () => `${createTicket(key, 'u').slice(0, -3)}abc`],
    ['a screen token used as a ticket', () => createScreenToken(key, grant)],
    ['garbage', () => 'not-a-token'],
  ])('refuses a ticket that is %s', (_name, make) => {
    expect(verifyTicket(key, make())).toBeNull()
  })

  it('grants a screen link read access to one assembly only until it expires', () => {
    const token = createScreenToken(key, grant, 60_000)
    expect(verifyScreenToken(key, token)).toMatchObject(grant)
    expect(verifyScreenToken(key, token, Date.now() + 61_000)).toBeNull()
    expect(verifyScreenToken(key, createTicket(key, 'u'))).toBeNull()
  })
})
