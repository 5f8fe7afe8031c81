import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import type { DatabaseHandle } from '../../db/client.ts'
import { sessions, users } from '../../db/schema/index.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { sha256Hex } from './crypto.ts'
import {
  createSession,
  invalidateSession,
  invalidateUserSessions,
  type SessionPolicy,
  validateSession,
} from './sessions.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const policy: SessionPolicy = { idleMs: 14 * DAY, absoluteMs: 60 * DAY }

let handle: DatabaseHandle

// The first PGlite start in a process can take well over the default 5 s under load.
beforeAll(async () => {
  handle = await createTestDatabase()
}, 60_000)
afterAll(() => handle.close())

let userCount = 0
async function createUser(options: { disabled?: boolean } = {}): Promise<string> {
  userCount += 1
  const [user] = await handle.db
    .insert(users)
    .values({
      email: `user${userCount}-${crypto.randomUUID().slice(0, 8)}@example.org`,
      disabledAt: options.disabled ? new Date() : null,
    })
    .returning({ id: users.id })
  return user!.id
}

async function sessionRow(id: string) {
  const [row] = await handle.db.select().from(sessions).where(eq(sessions.id, id))
  return row ?? null
}

async function signIn(sessionPolicy = policy) {
  const userId = await createUser()
  const created = await createSession(
    handle.db,
    { userId, ip: '203.0.113.9', userAgent: 'test' },
    sessionPolicy,
  )
  const row = await sessionRow(created.id)
  return { userId, ...created, createdAt: row!.lastSeenAt.getTime() }
}

describe('createSession', () => {
  it('returns a token <id>.<secret>, each part at least 120 random bits', async () => {
    const { token, id } = await signIn()
    const [tokenId, secret, ...rest] = token.split('.')
    expect(rest).toEqual([])
    expect(tokenId).toBe(id)
    for (const part of [tokenId!, secret!]) {
      expect(part).toMatch(/^[a-z2-7]+$/)
      expect(part.length * 5).toBeGreaterThanOrEqual(120)
    }
  })

  it('gives every session its own id and secret', async () => {
    const userId = await createUser()
    const tokens = await Promise.all(
      Array.from({ length: 10 }, () => createSession(handle.db, { userId }, policy)),
    )
    const parts = tokens.flatMap(({ token }) => token.split('.'))
    expect(new Set(parts).size).toBe(20)
  })

  it('stores only the SHA-256 of the secret, never the secret itself', async () => {
    const { token, id } = await signIn()
    const secret = token.split('.')[1]!
    const row = await sessionRow(id)
    expect(Buffer.from(row!.secretHash).toString('hex')).toBe(sha256Hex(secret))
    const stored = Object.values(row!).map((value) =>
      value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : String(value),
    )
    for (const value of stored) expect(value).not.toContain(secret)
  })

  it('sets the absolute expiry from the policy', async () => {
    const { expiresAt, createdAt } = await signIn()
    expect(expiresAt.getTime() - createdAt).toBe(policy.absoluteMs)
  })
})

describe('validateSession', () => {
  it('returns the session and its user for a valid token', async () => {
    const { token, id, userId } = await signIn()
    const valid = await validateSession(handle.db, token, policy)
    expect(valid?.session).toMatchObject({ id, userId })
    expect(valid?.user).toMatchObject({ id: userId, locale: 'es', isPlatformAdmin: false })
  })

  it('refuses a token whose secret is wrong, and keeps the real session', async () => {
    const { token, id } = await signIn()
    const forged = `${id}.${'a'.repeat(32)}`
    expect(await validateSession(handle.db, forged, policy)).toBeNull()
    expect(await validateSession(handle.db, token, policy)).not.toBeNull()
  })

  it('refuses the secret of one session presented with the id of another', async () => {
    const first = await signIn()
    const second = await signIn()
    const mixed = `${first.id}.${second.token.split('.')[1]}`
    expect(await validateSession(handle.db, mixed, policy)).toBeNull()
  })

  const malformed: [string, (token: string) => string][] = [
    ['an empty string', () => ''],
    ['a single dot', () => '.'],
    ['no dot', (token) => token.replace('.', '')],
    ['only the id', (token) => `${token.split('.')[0]}.`],
    ['only the secret', (token) => `.${token.split('.')[1]}`],
    ['an extra part', (token) => `${token}.extra`],
    ['an unknown id', (token) => `${'b'.repeat(32)}.${token.split('.')[1]}`],
    ['an oversized id', (token) => `${'c'.repeat(65)}.${token.split('.')[1]}`],
    ['an oversized secret', (token) => `${token.split('.')[0]}.${'d'.repeat(65)}`],
    ['surrounding spaces', (token) => ` ${token} `],
  ]
  it.each(malformed)('refuses %s', async (_name, mangle) => {
    const { token } = await signIn()
    expect(await validateSession(handle.db, mangle(token), policy)).toBeNull()
  })

  it('ends a session idle for longer than the idle timeout and deletes it', async () => {
    const { token, id, createdAt } = await signIn()
    expect(await validateSession(handle.db, token, policy, createdAt + policy.idleMs - 1)).not.toBeNull()
    // That call moved lastSeenAt forward; idle again from there.
    const lastSeen = (await sessionRow(id))!.lastSeenAt.getTime()
    expect(await validateSession(handle.db, token, policy, lastSeen + policy.idleMs + 1)).toBeNull()
    expect(await sessionRow(id)).toBeNull()
  })

  it('ends a session at its absolute expiry however recently it was used, and deletes it', async () => {
    const short: SessionPolicy = { idleMs: 14 * DAY, absoluteMs: 3 * HOUR }
    const { token, id, createdAt } = await signIn(short)
    for (const offset of [1.5 * HOUR, 2.9 * HOUR]) {
      expect(await validateSession(handle.db, token, short, createdAt + offset)).not.toBeNull()
    }
    expect(await validateSession(handle.db, token, short, createdAt + 3 * HOUR)).toBeNull()
    expect(await sessionRow(id)).toBeNull()
  })

  it('does not write lastSeenAt again within the hour', async () => {
    const { token, id, createdAt } = await signIn()
    for (const offset of [10 * 60_000, 59 * 60_000]) {
      const valid = await validateSession(handle.db, token, policy, createdAt + offset)
      expect(valid?.session.lastSeenAt.getTime()).toBe(createdAt)
    }
    expect((await sessionRow(id))!.lastSeenAt.getTime()).toBe(createdAt)
  })

  it('moves lastSeenAt forward once it is older than an hour', async () => {
    const { token, id, createdAt } = await signIn()
    const later = createdAt + 2 * HOUR
    const valid = await validateSession(handle.db, token, policy, later)
    expect(valid?.session.lastSeenAt.getTime()).toBe(later)
    expect((await sessionRow(id))!.lastSeenAt.getTime()).toBe(later)
  })

  it('slides the idle timeout: regular use keeps a session alive past the first idle deadline', async () => {
    const { token, createdAt } = await signIn()
    const halfIdle = policy.idleMs / 2
    for (const step of [1, 2, 3]) {
      expect(await validateSession(handle.db, token, policy, createdAt + step * halfIdle)).not.toBeNull()
    }
  })

  it('refuses and deletes the session of a disabled user', async () => {
    const { token, id, userId } = await signIn()
    await handle.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, userId))
    expect(await validateSession(handle.db, token, policy)).toBeNull()
    expect(await sessionRow(id)).toBeNull()
  })
})

describe('invalidateSession', () => {
  it('signs out one session and leaves the user’s others alone', async () => {
    const { token, id, userId } = await signIn()
    const other = await createSession(handle.db, { userId }, policy)
    await invalidateSession(handle.db, id)
    expect(await validateSession(handle.db, token, policy)).toBeNull()
    expect(await validateSession(handle.db, other.token, policy)).not.toBeNull()
  })
})

describe('invalidateUserSessions', () => {
  it('signs the user out everywhere and returns the sessions that ended', async () => {
    const userId = await createUser()
    const mine = await Promise.all([1, 2, 3].map(() => createSession(handle.db, { userId }, policy)))
    const someoneElse = await signIn()
    expect((await invalidateUserSessions(handle.db, userId)).sort()).toEqual(mine.map((s) => s.id).sort())
    for (const { token } of mine) expect(await validateSession(handle.db, token, policy)).toBeNull()
    expect(await validateSession(handle.db, someoneElse.token, policy)).not.toBeNull()
  })

  it('returns none when the user had no session', async () => {
    expect(await invalidateUserSessions(handle.db, await createUser())).toEqual([])
  })
})
