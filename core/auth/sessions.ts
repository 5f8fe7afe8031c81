import { and, eq, gt, inArray, isNull, sql } from 'drizzle-orm'
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
  return (await validateSessions(db, [token], policy, now)).get(token) ?? null
}

/** A token's `<id>.<secret>` parts, or null when it cannot be a session token. */
function partsOf(token: string): { id: string; secret: string } | null {
  const [id, secret, extra] = token.split('.')
  if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 64) return null
  return { id, secret }
}

/**
 * `validateSession` for many tokens with one statement (the auth cache batches the cold requests that
 * arrive together: a meeting's first votes are thousands of sessions at once). Every token given is a
 * key of the result: its session, or null.
 */
export async function validateSessions(
  db: Database,
  tokens: readonly string[],
  policy: SessionPolicy,
  now = Date.now(),
): Promise<Map<string, ValidSession | null>> {
  const result = new Map<string, ValidSession | null>(tokens.map((token) => [token, null]))
  const wanted = new Map<string, { token: string; secret: string }[]>()
  for (const token of new Set(tokens)) {
    const parts = partsOf(token)
    if (!parts) continue
    const same = wanted.get(parts.id)
    if (same) same.push({ token, secret: parts.secret })
    else wanted.set(parts.id, [{ token, secret: parts.secret }])
  }
  if (wanted.size === 0) return result
  const rows = await db
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
    // One parameter (a text array) however many tokens: one statement text, prepared once.
    .where(sql`${sessions.id} = any(${sql.param([...wanted.keys()])}::text[])`)
    .prepare('validate_sessions')
    .execute()
  const ended: string[] = []
  const touched: string[] = []
  for (const row of rows) {
    const idleExpired = now - row.lastSeenAt.getTime() > policy.idleMs
    const over = row.expiresAt.getTime() <= now || idleExpired || row.disabledAt !== null
    const stored = new Uint8Array(row.secretHash)
    for (const { token, secret } of wanted.get(row.id) ?? []) {
      if (!equalBytes(stored, sha256Bytes(secret))) continue
      if (over) {
        ended.push(row.id)
        continue
      }
      let lastSeenAt = row.lastSeenAt
      if (now - lastSeenAt.getTime() > TOUCH_INTERVAL_MS) {
        lastSeenAt = new Date(now)
        touched.push(row.id)
      }
      result.set(token, {
        session: { id: row.id, userId: row.userId, expiresAt: row.expiresAt, lastSeenAt },
        user: {
          id: row.userId,
          email: row.email,
          displayName: row.displayName,
          locale: row.locale,
          isPlatformAdmin: row.isPlatformAdmin,
        },
      })
    }
  }
  if (ended.length > 0) await db.delete(sessions).where(inArray(sessions.id, [...new Set(ended)]))
  if (touched.length > 0) {
    await db
      .update(sessions)
      .set({ lastSeenAt: new Date(now) })
      .where(inArray(sessions.id, [...new Set(touched)]))
  }
  return result
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
