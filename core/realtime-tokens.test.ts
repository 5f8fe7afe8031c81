import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { announceRevocation } from './auth/revocation.ts'
import { createTestBus } from './bus/testing.ts'
import {
  createScreenToken,
  createTicket,
  issueTicket,
  redeemTicket,
  verifyScreenToken,
  verifyTicket,
} from './realtime-tokens.ts'

const key = crypto.getRandomValues(new Uint8Array(32))
const otherKey = crypto.getRandomValues(new Uint8Array(32))
const grant = { organizationId: 'org-1', assemblyId: 'asm-1' }
const holder = { userId: 'u', sessionId: 's' }

describe('realtime tokens', () => {
  it('accepts a fresh ticket and returns its user', () => {
    expect(verifyTicket(key, createTicket(key, { userId: 'user-1', sessionId: 's-1' }))?.userId).toBe(
      'user-1',
    )
  })

  it.each([
    ['expired', () => createTicket(key, holder, 1000, Date.now() - 5000)],
    ['signed with another key', () => createTicket(otherKey, holder)],
    ['tampered', () => `${createTicket(key, holder).slice(0, -3)}abc`],
    ['a screen token used as a ticket', () => createScreenToken(key, grant)],
    ['garbage', () => 'not-a-token'],
  ])('refuses a ticket that is %s', (_name, make) => {
    expect(verifyTicket(key, make())).toBeNull()
  })

  it('grants a screen link read access to one assembly only until it expires', () => {
    const token = createScreenToken(key, grant, 60_000)
    expect(verifyScreenToken(key, token)).toMatchObject(grant)
    expect(verifyScreenToken(key, token, Date.now() + 61_000)).toBeNull()
    expect(verifyScreenToken(key, createTicket(key, holder))).toBeNull()
  })
})

describe('ticket redemption', () => {
  let bus: ReturnType<typeof createTestBus>
  beforeAll(() => {
    bus = createTestBus()
  })
  afterAll(() => bus.close())

  it('opens once: of several redemptions racing with one ticket, exactly one wins', async () => {
    const ticket = await issueTicket(bus, key, { userId: 'u-race', sessionId: 's-race' })
    const results = await Promise.all([1, 2, 3, 4, 5].map(() => redeemTicket(bus, key, ticket)))
    expect(results.filter((grant) => grant !== null)).toHaveLength(1)
    expect(await redeemTicket(bus, key, ticket)).toBeNull()
  })

  it('refuses a signed ticket that was never issued (not recorded on the bus)', async () => {
    expect(await redeemTicket(bus, key, createTicket(key, holder))).toBeNull()
  })

  it('dies with its session: a ticket issued before sign-out no longer opens', async () => {
    const ticket = await issueTicket(bus, key, { userId: 'u-out', sessionId: 's-out' })
    const other = await issueTicket(bus, key, { userId: 'u-out', sessionId: 's-kept' })
    await announceRevocation(bus, { userId: 'u-out', sessionIds: ['s-out'] })
    expect(await redeemTicket(bus, key, ticket)).toBeNull()
    expect((await redeemTicket(bus, key, other))?.sessionId).toBe('s-kept')
  })
})
