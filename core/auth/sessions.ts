import { and, eq, gt, inArray, isNull } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { sessions, users } from '../../db/schema/index.ts'
import { equalBytes, randomToken, sha256Bytes } from './crypto.ts'

export interface SessionPolicy {
  idleMs: number
  absoluteMs: number
}

export interface SessionUser {
  id: string
  email: string
  displayName: string | null
  locale: string
  isPlatformAdmin: boolean
}

export interface ValidSession {
  session: { id: string; userId: string; expiresAt: Date; lastSeenAt: Date }
  user: SessionUser
}

/** How often the sliding idle timeout is written back: at most hourly, not on every request. */
const TOUCH_INTERVAL_MS = 60 * 60 * 1000

/**
 * Creates a session and returns its token `<id>.<secret>` (each 160 random bits). Only the SHA-256
 * of the secret is stored, so a database leak does not leak usable tokens.
 */
export async function createSession(
  db: Database,
  input: { userId: string; ip?: string | null; userAgent?: string | null },
  policy: SessionPolicy,
): Promise<{ token: string; id: string; expiresAt: Date }> {
  const id = randomToken()
  const secret = randomToken()
  const now = Date.now()
  const expiresAt = new Date(now + policy.absoluteMs)
  await db.insert(sessions).values({
    id,
    userId: input.userId,
    secretHash: sha256Bytes(secret),
    expiresAt,
    lastSeenAt: new Date(now),
    ip: input.ip ?? null,
    userAgent: input.userAgent?.slice(0, 300) ?? null,
  })
  return { token: `${id}.${secret}`, id, expiresAt }
}

/** The session and user of a token, or null when unknown, wrong, expired (idle or absolute) or disabled. */
export async function validateSession(
  db: Database,
  token: string,
  policy: SessionPolicy,
  now = Date.now(),
): Promise<ValidSession | null> {
  const [id, secret, extra] = token.split('.')
  if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 64) return null
  const [row] = await db
    .select({
      id: sessions.id,
      userId: sessions.userId,
      secretHash: sessions.secretHash,
      expiresAt: sessions.expiresAt,
      lastSeenAt: sessions.lastSeenAt,
      email: users.email,
      displayName: users.displayName,
      locale: users.locale,
      isPlatformAdmin: users.isPlatformAdmin,
      disabledAt: users.disabledAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(eq(sessions.id, id))
    .prepare('validate_session')
    .execute()
  if (!row) return null
  if (!equalBytes(new Uint8Array(row.secretHash), sha256Bytes(secret))) return null
  const idleExpired = now - row.lastSeenAt.getTime() > policy.idleMs
  if (row.expiresAt.getTime() <= now || idleExpired || row.disabledAt) {
    await db.delete(sessions).where(eq(sessions.id, id))
    return null
  }
  let lastSeenAt = row.lastSeenAt
  if (now - lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
    lastSeenAt = new Date(now)
    await db.update(sessions).set({ lastSeenAt }).where(eq(sessions.id, id))
  }
  return {
    session: { id: row.id, userId: row.userId, expiresAt: row.expiresAt, lastSeenAt },
    user: {
      id: row.userId,
      email: row.email,
      displayName: row.displayName,
      locale: row.locale,
      isPlatformAdmin: row.isPlatformAdmin,
    },
  }
}

export async function invalidateSession(db: Database, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId))
}

/** Signs the user out everywhere; returns the ids of the sessions that ended. */
export async function invalidateUserSessions(db: Database, userId: string): Promise<string[]> {
  const ended = await db.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id })
  return ended.map((row) => row.id)
}

/** Of the given sessions, those still valid now (not ended, not expired, user not disabled). */
export async function liveSessionIds(db: Database, sessionIds: string[]): Promise<Set<string>> {
  if (sessionIds.length === 0) return new Set()
  const rows = await db
    .select({ id: sessions.id })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(inArray(sessions.id, sessionIds), gt(sessions.expiresAt, new Date()), isNull(users.disabledAt)),
    )
  return new Set(rows.map((row) => row.id))
}
