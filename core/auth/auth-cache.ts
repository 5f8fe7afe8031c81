import type { Database } from '../../db/client.ts'
import type { Bus } from '../bus/types.ts'
import { membershipVersion } from '../changes/versions.ts'
import { type Membership, resolveMembership, resolveMemberships } from './membership.ts'
import { announceRevocation, onRevocation, type Revocation } from './revocation.ts'
import { type SessionPolicy, type ValidSession, validateSessions } from './sessions.ts'

/**
 * How long a validated session is trusted without reading it again. Ending a session is announced on
 * the bus and drops it everywhere at once; the bound only limits what a lost announcement (a pub/sub
 * connection that dropped at that moment) could leave behind, and re-reads refresh `last_seen_at`.
 */
const SESSION_CACHE_MAX_MS = 10 * 60_000
const MAX_ENTRIES = 20_000
/** Memberships kept over all PHs (a PH's are dropped together, the least recently loaded first). */
const MAX_MEMBERS = 200_000
/** Most cold sessions validated by one statement. */
const MAX_SESSIONS_PER_STATEMENT = 256

/** Cold sessions asked for during one turn of the event loop, validated by one statement. */
interface SessionBatch {
  policy: SessionPolicy
  tokens: Map<string, PromiseWithResolvers<ValidSession | null>[]>
}

interface PhMembers {
  version: string
  members: Map<string, Membership>
  /** Order of the loads' starts: a load started later read a later version (even after a reset). */
  started: number
}

/**
 * The hot path of every authenticated request, cached per process: a validated session until it
 * expires or goes idle, at most 10 minutes (ended sessions are announced on the bus and dropped
 * everywhere immediately), and the memberships of a PH until the PH's membership version changes (role
 * grants, people linked to users, ownership, proxies; attendance and motions leave it alone, see
 * core/changes/versions.ts).
 * "Not a member" is never cached: a person imported, invited or linked into a PH is a member at once,
 * whether or not the change that made them one announced itself.
 * Without it each request costs several PostgreSQL round trips before any work. Cold look-ups are
 * shared: the sessions asked for together are validated by one statement, and all the memberships of a
 * PH are loaded by one statement when its version moves (a meeting's first votes come from thousands
 * of voters at once).
 */
export function createAuthCache(deps: { db: Database; bus: Bus }) {
  const sessions = new Map<string, { valid: ValidSession; until: number }>()
  const phs = new Map<string, PhMembers>()
  const loadingPhs = new Map<string, Promise<PhMembers>>()
  let members = 0
  let loads = 0
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

  /** Tokens waiting for the next statement, by policy: validated together once this turn ends. */
  const waiting = new Map<string, SessionBatch>()

  const validateSoon = (token: string, policy: SessionPolicy): Promise<ValidSession | null> => {
    const key = `${policy.idleMs}:${policy.absoluteMs}`
    let batch = waiting.get(key)
    if (!batch || batch.tokens.size >= MAX_SESSIONS_PER_STATEMENT) {
      const created: SessionBatch = { policy, tokens: new Map() }
      batch = created
      waiting.set(key, created)
      setImmediate(() => {
        if (waiting.get(key) === created) waiting.delete(key)
        void flush(created)
      })
    }
    const waiter = Promise.withResolvers<ValidSession | null>()
    const same = batch.tokens.get(token)
    if (same) same.push(waiter)
    else batch.tokens.set(token, [waiter])
    return waiter.promise
  }

  async function flush(batch: SessionBatch) {
    try {
      const valid = await validateSessions(deps.db, [...batch.tokens.keys()], batch.policy)
      for (const [token, waiters] of batch.tokens) {
        for (const waiter of waiters) waiter.resolve(valid.get(token) ?? null)
      }
    } catch (error) {
      for (const waiters of batch.tokens.values()) for (const waiter of waiters) waiter.reject(error)
    }
  }

  /** The memberships of a PH at `version`, loaded once per process however many requests wait. */
  async function membersAt(organizationId: string, version: string): Promise<PhMembers> {
    const cached = phs.get(organizationId)
    if (cached?.version === version) return cached
    const key = `${organizationId}@${version}`
    let pending = loadingPhs.get(key)
    if (!pending) {
      const started = ++loads
      pending = resolveMemberships(deps.db, organizationId)
        .then((loaded) => ({ version, members: loaded, started }))
        .finally(() => loadingPhs.delete(key))
      loadingPhs.set(key, pending)
    }
    const loaded = await pending
    const current = phs.get(organizationId)
    // Never replace what a later load found by what an earlier one did.
    if (!current || current.started < loaded.started) {
      if (current) members -= current.members.size
      phs.delete(organizationId) // re-inserted last: the most recently loaded
      phs.set(organizationId, loaded)
      members += loaded.members.size
      for (const [id, ph] of phs) {
        if (members <= MAX_MEMBERS || id === organizationId) break
        members -= ph.members.size
        phs.delete(id)
      }
    }
    return loaded
  }

  async function membershipNow(
    userId: string,
    organizationId: string,
  ): Promise<{ membership: Membership; version: string }> {
    const version = await membershipVersion(deps.bus, organizationId)
    const ph = await membersAt(organizationId, version)
    const found = ph.members.get(userId)
    if (found) return { membership: found, version }
    // Not a member when the PH was loaded: ask again, every time (see above).
    const membership = await resolveMembership(deps.db, userId, organizationId)
    if (membership.roles.length > 0 && phs.get(organizationId) === ph) {
      ph.members.set(userId, membership)
      members += 1
    }
    return { membership, version }
  }

  return {
    async session(token: string, policy: SessionPolicy): Promise<ValidSession | null> {
      await listen()
      const cached = sessions.get(token)
      if (cached && cached.until > Date.now()) return cached.valid
      const valid = await validateSoon(token, policy)
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
      return (await membershipNow(userId, organizationId)).membership
    },
    /** The membership at the PH's current membership version (read from the bus), and that version. */
    membershipNow,
    /**
     * A member's membership as this process holds it, without reading the PH's membership version
     * (no round trip to the bus), and the version it was loaded at. Only for a caller whose use of it is
     * checked against that version atomically later, as the vote queue's accept step does (see
     * core/votes/cast-as-member.ts). Anyone not held (not a member, or not loaded yet) is read at the
     * current version, as `membership` does.
     */
    async heldMembership(
      userId: string,
      organizationId: string,
    ): Promise<{ membership: Membership; version: string }> {
      const ph = phs.get(organizationId)
      const found = ph?.members.get(userId)
      if (ph && found) return { membership: found, version: ph.version }
      return membershipNow(userId, organizationId)
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
