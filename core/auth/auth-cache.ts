import type { Database } from '../../db/client.ts'
import type { Bus } from '../bus/types.ts'
import { membershipVersion } from '../changes/versions.ts'
import { type Membership, resolveMembership } from './membership.ts'
import { announceRevocation, onRevocation, type Revocation } from './revocation.ts'
import { type SessionPolicy, type ValidSession, validateSession } from './sessions.ts'

/**
 * How long a validated session is trusted without reading it again. Ending a session is announced on
 * the bus and drops it everywhere at once; the bound only limits what a lost announcement (a pub/sub
 * connection that dropped at that moment) could leave behind, and re-reads refresh `last_seen_at`.
 */
const SESSION_CACHE_MAX_MS = 10 * 60_000
const MAX_ENTRIES = 20_000

/**
 * The hot path of every authenticated request, cached per process: a validated session until it
 * expires or goes idle, at most 10 minutes (ended sessions are announced on the bus and dropped
 * everywhere immediately), and a user's
 * membership of a PH until the PH's membership version changes (role grants, people linked to users,
 * ownership, proxies; attendance and motions leave it alone, see core/changes/versions.ts).
 * "Not a member" is never cached: a person imported, invited or linked into a PH is a member at once,
 * whether or not the change that made them one announced itself.
 * Without it each request costs several PostgreSQL round trips before any work.
 */
export function createAuthCache(deps: { db: Database; bus: Bus }) {
  const sessions = new Map<string, { valid: ValidSession; until: number }>()
  const memberships = new Map<string, { version: string; membership: Membership }>()
  let listening: Promise<unknown> | null = null

  const forget = (revocation: Revocation) => {
    for (const [token, entry] of sessions) {
      if (
        revocation.sessionIds?.includes(entry.valid.session.id) ||
        entry.valid.user.id === revocation.userId
      )
        sessions.delete(token)
    }
  }

  const listen = () => {
    listening ??= onRevocation(deps.bus, (revocation) => {
      if (revocation) forget(revocation)
      else sessions.clear()
    }).catch(() => {
      listening = null
    })
    return listening
  }

  const bounded = <K, V>(map: Map<K, V>) => {
    // Oldest entries go first (Map keeps insertion order); enough to bound memory.
    while (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as K)
  }

  return {
    async session(token: string, policy: SessionPolicy): Promise<ValidSession | null> {
      await listen()
      const cached = sessions.get(token)
      if (cached && cached.until > Date.now()) return cached.valid
      const valid = await validateSession(deps.db, token, policy)
      if (!valid) {
        sessions.delete(token)
        return null
      }
      const now = Date.now()
      const until = Math.min(
        now + SESSION_CACHE_MAX_MS,
        valid.session.expiresAt.getTime(),
        valid.session.lastSeenAt.getTime() + policy.idleMs,
      )
      sessions.set(token, { valid, until })
      bounded(sessions)
      return valid
    },
    async membership(userId: string, organizationId: string): Promise<Membership> {
      const version = await membershipVersion(deps.bus, organizationId)
      const key = `${userId}:${organizationId}`
      const cached = memberships.get(key)
      if (cached?.version === version) return cached.membership
      const membership = await resolveMembership(deps.db, userId, organizationId)
      if (membership.roles.length === 0) {
        memberships.delete(key)
        return membership
      }
      memberships.set(key, { version, membership })
      bounded(memberships)
      return membership
    },
    /**
     * Ends sessions everywhere (call after deleting them from the database): this process forgets
     * them now, the others on the announcement; their realtime tickets stop opening sockets.
     */
    async revoke(input: Revocation): Promise<void> {
      forget(input)
      await announceRevocation(deps.bus, input)
    },
  }
}

export type AuthCache = ReturnType<typeof createAuthCache>
