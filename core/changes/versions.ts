import type { Bus } from '../bus/types.ts'

/*
 * Version counters per PH and per kind of change. A per-process cache keys on the counter of what it
 * holds, so a change of one kind never empties a cache of another: a check-in leaves every cached
 * membership alone, a new staff member leaves the vote path's facts alone.
 *
 * - the **membership version** moves when a user's roles in the PH may change (grants, people linked to
 *   users, ownerships, proxy holders);
 * - the **voting facts version** moves when what decides a ballot's eligibility may change (units and
 *   their owners, coefficients and up-to-date flags, proxies, attendance, the assembly's status). The
 *   vote queue's atomic accept step checks it, so a decision on older facts is taken again. Each move
 *   leaves a short-lived record of what changed, from which a process reloads only those facts.
 * - every kind also has a counter of its own (tests and diagnostics read what moved).
 */

/** What a change touched. `roster` = units, coefficients, up-to-date flags, owners. */
export type ChangeKind = 'membership' | 'roster' | 'proxy' | 'attendance' | 'assembly' | 'motion' | 'agenda'

export const CHANGE_KINDS: readonly ChangeKind[] = [
  'membership',
  'roster',
  'proxy',
  'attendance',
  'assembly',
  'motion',
  'agenda',
]

/** A committed change, as announced by the service that made it. */
export interface Change {
  organizationId: string
  /** The assembly whose live views show it (its topic is woken); none for PH-wide changes. */
  assemblyId?: string | null
  kinds: readonly ChangeKind[]
  /** The units whose facts changed (attendance, proxies); absent means "any unit". */
  unitIds?: readonly string[]
}

/** Kinds that may change someone's roles in the PH (a proxy makes its holder a proxy holder). */
const MEMBERSHIP_KINDS = new Set<ChangeKind>(['membership', 'proxy'])
/** Kinds that may change whether a ballot is accepted (motion open/closed lives in the vote queue). */
const VOTING_FACTS_KINDS = new Set<ChangeKind>(['roster', 'proxy', 'attendance', 'assembly'])

export const movesMembership = (kinds: readonly ChangeKind[]) =>
  kinds.some((kind) => MEMBERSHIP_KINDS.has(kind))
export const movesVotingFacts = (kinds: readonly ChangeKind[]) =>
  kinds.some((kind) => VOTING_FACTS_KINDS.has(kind))

/** The bus key of a PH's voting facts version (the vote queue checks it inside its atomic accept step). */
export const votingFactsVersionKey = (organizationId: string) => `votes:facts-version:${organizationId}`

/** The bus key of a PH's membership version (the auth cache keys memberships on it). */
export const membershipVersionKey = (organizationId: string) => `auth:membership-version:${organizationId}`

/** The bus key of one kind's own counter. */
export const kindVersionKey = (kind: ChangeKind, organizationId: string) =>
  `changes:${kind}-version:${organizationId}`

/** The record of what moved the voting facts to `version` (kept long enough for every process to read). */
export const factsChangeKey = (organizationId: string, version: number | string) =>
  `votes:facts-change:${organizationId}:${version}`

export const FACTS_CHANGE_TTL_MS = 15 * 60_000

/** What a voting facts version's record holds. */
export interface FactsChangeRecord {
  assemblyId: string | null
  kinds: ChangeKind[]
  unitIds: string[] | null
}

/**
 * Moves the voting facts version without saying what changed: every process reloads all the facts of
 * the PH on next use (a missing record means "reload everything").
 */
export async function markVotingFactsChanged(bus: Bus, organizationId: string): Promise<void> {
  await bus.incr(votingFactsVersionKey(organizationId))
}

/** The PH's current voting facts version ('0' until the first change). */
export async function votingFactsVersion(bus: Bus, organizationId: string): Promise<string> {
  return (await bus.get(votingFactsVersionKey(organizationId))) ?? '0'
}

/** The PH's current membership version ('0' until the first change). */
export async function membershipVersion(bus: Bus, organizationId: string): Promise<string> {
  return (await bus.get(membershipVersionKey(organizationId))) ?? '0'
}

/** One kind's counter ('0' until the first change of that kind). */
export async function kindVersion(bus: Bus, kind: ChangeKind, organizationId: string): Promise<string> {
  return (await bus.get(kindVersionKey(kind, organizationId))) ?? '0'
}

/** How far a cache may lag and still catch up from records rather than reload everything. */
const MAX_RECORDS_READ = 32

/**
 * What changed between two voting facts versions, merged, or 'unknown' when a record is missing
 * (expired, never written, or the gap too long): the caller then reloads everything.
 */
export async function readFactsChanges(
  bus: Bus,
  organizationId: string,
  from: string,
  to: string,
): Promise<FactsChangeRecord[] | 'unknown'> {
  const start = Number(from)
  const end = Number(to)
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end < start) return 'unknown'
  if (end - start > MAX_RECORDS_READ) return 'unknown'
  const versions = Array.from({ length: end - start }, (_, i) => start + i + 1)
  const values = await Promise.all(
    versions.map((version) => bus.get(factsChangeKey(organizationId, version))),
  )
  const records: FactsChangeRecord[] = []
  for (const value of values) {
    if (value === null) return 'unknown'
    records.push(JSON.parse(value) as FactsChangeRecord)
  }
  return records
}
