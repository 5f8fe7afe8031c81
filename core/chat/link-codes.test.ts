import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { DatabaseHandle } from '../../db/client.ts'
import { users } from '../../db/schema/index.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { consumeLinkCode, createLinkCode, LINK_CODE_TTL_MS, normalizeLinkCode } from './link-codes.ts'

let handle: DatabaseHandle
let userId: string

beforeAll(async () => {
  handle = await createTestDatabase({ appRole: 'assembly_app' })
  const [user] = await handle.db
    .insert(users)
    .values({ email: `codes-${crypto.randomUUID()}@example.com` })
    .returning()
  userId = user!.id
}, 60_000)
afterAll(() => handle.close(), 60_000)

describe('link codes', () => {
  it.each([
    ['k7q2-m9xd', 'K7Q2M9XD'],
    [' K7Q2 M9XD ', 'K7Q2M9XD'],
    ['IL0O-1234', '11001234'],
    ['K7Q2-M9X', null],
    ['K7Q2-M9XU', null],
  ])('normalizes %p to %p', (input, expected) => {
    expect(normalizeLinkCode(input)).toBe(expected)
  })

  it('links once: the second use of a code finds nothing', async () => {
    const { code } = await createLinkCode(handle.db, userId)
    expect(await consumeLinkCode(handle.db, code.toLowerCase())).toBe(userId)
    expect(await consumeLinkCode(handle.db, code)).toBeNull()
  })

  it('expires after ten minutes', async () => {
    const issuedAt = new Date()
    const { code } = await createLinkCode(handle.db, userId, issuedAt)
    expect(
      await consumeLinkCode(handle.db, code, new Date(issuedAt.getTime() + LINK_CODE_TTL_MS + 1)),
    ).toBeNull()
  })

  it('replaces the user’s earlier unused code', async () => {
    const first = await createLinkCode(handle.db, userId)
    const second = await createLinkCode(handle.db, userId)
    expect(await consumeLinkCode(handle.db, first.code)).toBeNull()
    expect(await consumeLinkCode(handle.db, second.code)).toBe(userId)
  })
})
