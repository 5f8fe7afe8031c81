import { eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { users } from '../../db/schema/index.ts'
import type { Bus, Unsubscribe } from '../bus/types.ts'
import { invalidateUserSessions } from './sessions.ts'

/**
 * Ending sessions reaches every process: the rows go from the database, each ended session is marked
 * revoked on the bus (so a realtime ticket issued from it can no longer open a socket), and the
 * revocation is announced so that every process drops cached sessions and closes sockets at once.
 */

/** Published when sessions end (logout, sign out everywhere, user disabled). */
export const SESSIONS_REVOKED_CHANNEL = 'auth:sessions-revoked'

/** Longer than any realtime ticket lives, so a ticket never outlives the mark of its session. */
const REVOKED_MARK_TTL_MS = 10 * 60_000

export interface Revocation {
  sessionIds?: string[]
  /** Every session of this user (sign out everywhere, user disabled). */
  userId?: string
}

const revokedKey = (sessionId: string) => `auth:revoked-session:${sessionId}`

/** Marks the sessions revoked and tells every process (call after deleting them). */
export async function announceRevocation(bus: Bus, revocation: Revocation): Promise<void> {
  await Promise.all(
    (revocation.sessionIds ?? []).map((id) => bus.set(revokedKey(id), '1', REVOKED_MARK_TTL_MS)),
  )
  await bus.publish(SESSIONS_REVOKED_CHANNEL, JSON.stringify(revocation))
}

/** True when the session was ended recently (its tickets must not open sockets any more). */
export async function isSessionRevoked(bus: Bus, sessionId: string): Promise<boolean> {
  return (await bus.get(revokedKey(sessionId))) !== null
}

/** Parses an announced revocation; null for a malformed message (then: drop everything to be safe). */
export function parseRevocation(message: string): Required<Revocation> | null {
  try {
    const parsed = JSON.parse(message) as Revocation
    const sessionIds = Array.isArray(parsed.sessionIds) ? parsed.sessionIds.map(String) : []
    return { sessionIds, userId: typeof parsed.userId === 'string' ? parsed.userId : '' }
  } catch {
    return null
  }
}

/** Calls `handler` for every revocation announced by any process (null: malformed, drop everything). */
export function onRevocation(
  bus: Bus,
  handler: (revocation: Required<Revocation> | null) => void,
): Promise<Unsubscribe> {
  return bus.subscribe(SESSIONS_REVOKED_CHANNEL, (message) => handler(parseRevocation(message)))
}

/** Disables a user: no new sign-in, and every session, ticket and socket of theirs ends now. */
export async function disableUser(db: Database, bus: Bus, userId: string): Promise<void> {
  await db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, userId))
  const sessionIds = await invalidateUserSessions(db, userId)
  await announceRevocation(bus, { userId, sessionIds })
}
