import { RuleError, tallyVotes } from '../rules/tally.ts'
import type { ChoiceMode, MajorityRule, MotionOption } from '../rules/types.ts'
import { choiceLimitProblem } from './ballot-schema.ts'

/*
 * Who may vote for which unit, as pure functions over facts loaded elsewhere, so the vote service
 * (core/votes/service.ts), the voter's list of votable units and the bots apply exactly the same rules.
 *
 * Decisions:
 * - The voter is a person: the unit's representative owner (co-owners name one), or the holder of the
 *   unit's proxy for this assembly. While a proxy is in effect the owner cannot vote the unit: the
 *   proxy is revoked (by check-in, elsewhere) when the owner attends personally, never implicitly here.
 * - A proxy is in effect when it is active and `now` lies within its optional validity window.
 *   Outside the window the holder may not vote and the owner may.
 * - The unit must be present (an open attendance row) when the ballot is accepted: Ley 284 lets
 *   attendees vote, in person or remotely, and presence is what quorum and 'present' majorities count.
 *   A unit that voted and then left keeps its vote (it was valid when cast).
 * - Under a rule with `eligibleOnly`, only up-to-date units may vote.
 * - A directed proxy names the option its holder must vote on a motion; the holder's ballot for that
 *   unit is refused unless it is exactly that option (every channel goes through here).
 * - A ballot is valid when core/rules/tally would count it, so acceptance and tally never disagree.
 */

export type VoterRole = 'owner' | 'proxy'

export interface ProxyFacts {
  id: string
  holderPersonId: string
  validFrom: Date | null
  validUntil: Date | null
  /** Directed proxy: the option key the holder must vote, by motion id. */
  instructions?: Readonly<Record<string, string>> | null
}

/** What the rules need to know about one unit at the moment a ballot arrives. */
export interface UnitVotingFacts {
  unitId: string
  number: string
  /** Nano-percent. */
  coefficient: bigint
  upToDate: boolean
  /** Has an open attendance row in the assembly. */
  present: boolean
  /** People who are the unit's representative owner (normally one). */
  representativePersonIds: readonly string[]
  /** The unit's active proxy for this assembly, if any (at most one, by a unique index). */
  proxy: ProxyFacts | null
}

export interface MotionVotingFacts {
  /** Needed to apply a directed proxy's instruction for this motion. */
  id?: string
  status: 'draft' | 'open' | 'closed'
  assemblyStatus: string
  options: readonly MotionOption[]
  choiceMode: ChoiceMode
  /** An election's seats (a ballot chooses at most this many), or null. */
  seats?: number | null
  majorityRule: Pick<MajorityRule, 'eligibleOnly'>
}

export interface BallotInput {
  unitId: string
  optionKeys: readonly string[]
}

/** Why a ballot for one unit was refused. */
export type RefusalCode =
  | 'unknown_unit'
  | 'duplicate_unit'
  | 'not_authorized'
  | 'proxy_active'
  | 'proxy_not_in_effect'
  | 'not_present'
  | 'not_up_to_date'
  | 'invalid_options'
  | 'proxy_directed'

/** HTTP status each refusal maps to: 403 who, 409 state that can change, 422 malformed ballot. */
export const refusalStatuses: Readonly<Record<RefusalCode, 403 | 409 | 422>> = {
  not_authorized: 403,
  proxy_active: 403,
  proxy_not_in_effect: 403,
  not_up_to_date: 403,
  proxy_directed: 403,
  not_present: 409,
  unknown_unit: 422,
  duplicate_unit: 422,
  invalid_options: 422,
}

export interface BallotRefusal {
  unitId: string
  code: RefusalCode
  message: string
}

export interface AcceptedBallot {
  unit: UnitVotingFacts
  optionKeys: string[]
  role: VoterRole
  proxyId: string | null
}

export type Authorization =
  | { ok: true; role: VoterRole; proxyId: string | null }
  | { ok: false; code: 'not_authorized' | 'proxy_active' | 'proxy_not_in_effect'; message: string }

/** Whether `proxy` represents its unit at `now`. */
export function isProxyInEffect(proxy: ProxyFacts, now: Date): boolean {
  if (proxy.validFrom && now < proxy.validFrom) return false
  if (proxy.validUntil && now > proxy.validUntil) return false
  return true
}

/** Whether `personId` may vote for `unit` at `now`, and in which role. */
export function authorizeVoter(unit: UnitVotingFacts, personId: string, now: Date): Authorization {
  const proxy = unit.proxy
  const isOwner = unit.representativePersonIds.includes(personId)
  if (proxy && proxy.holderPersonId === personId) {
    if (isProxyInEffect(proxy, now)) return { ok: true, role: 'proxy', proxyId: proxy.id }
    if (!isOwner) {
      return {
        ok: false,
        code: 'proxy_not_in_effect',
        message: `The proxy for unit ${unit.number} is not in effect now`,
      }
    }
  }
  if (proxy && isOwner && isProxyInEffect(proxy, now)) {
    return {
      ok: false,
      code: 'proxy_active',
      message: `Unit ${unit.number} is represented by a proxy; the proxy must be revoked before the owner votes`,
    }
  }
  if (isOwner) return { ok: true, role: 'owner', proxyId: null }
  return { ok: false, code: 'not_authorized', message: `You do not represent unit ${unit.number}` }
}

/** Why no ballot at all can be accepted for the motion now, or null when voting is open. */
export function motionRefusal(
  motion: MotionVotingFacts,
): { status: 409; code: string; message: string } | null {
  if (motion.status !== 'open') {
    return {
      status: 409,
      code: 'motion_not_open',
      message: `The motion is ${motion.status}, not open for voting`,
    }
  }
  // A suspended meeting cannot take decisions; votes wait until it resumes.
  if (motion.assemblyStatus !== 'in_progress') {
    return {
      status: 409,
      code: 'assembly_not_in_progress',
      message: `The assembly is ${motion.assemblyStatus}, not in progress`,
    }
  }
  return null
}

/** The problem with a ballot's option keys, or null when the tally would accept it. */
export function ballotProblem(
  motion: Pick<MotionVotingFacts, 'options' | 'choiceMode' | 'seats'>,
  optionKeys: readonly string[],
) {
  const unitId = 'ballot'
  const tooMany = choiceLimitProblem(motion, optionKeys)
  if (tooMany) return tooMany
  try {
    tallyVotes({
      options: motion.options,
      choiceMode: motion.choiceMode,
      electorate: [{ unitId, coefficient: 0n, upToDate: true, present: true }],
      votes: [{ unitId, optionKeys }],
    })
    return null
  } catch (error) {
    if (!(error instanceof RuleError)) throw error
    return error.message.replace(/^Unit ballot /, 'Ballot ')
  }
}

/**
 * Applies every acceptance rule to a request of ballots (one person, possibly many units). Returns the
 * accepted ballots and every refusal; the caller stores nothing unless `refused` is empty.
 * `units` holds the facts of the units asked for; a unit missing from it is unknown in this PH.
 */
export function evaluateBallots(input: {
  motion: MotionVotingFacts
  personId: string
  ballots: readonly BallotInput[]
  units: ReadonlyMap<string, UnitVotingFacts>
  now: Date
}): { accepted: AcceptedBallot[]; refused: BallotRefusal[] } {
  const { motion, personId, ballots, units, now } = input
  const accepted: AcceptedBallot[] = []
  const refused: BallotRefusal[] = []
  const seen = new Set<string>()
  for (const ballot of ballots) {
    const refuse = (code: RefusalCode, message: string) =>
      refused.push({ unitId: ballot.unitId, code, message })
    if (seen.has(ballot.unitId)) {
      refuse('duplicate_unit', 'The unit appears more than once in the request')
      continue
    }
    seen.add(ballot.unitId)
    const unit = units.get(ballot.unitId)
    if (!unit) {
      refuse('unknown_unit', 'No such unit in this PH')
      continue
    }
    const authorization = authorizeVoter(unit, personId, now)
    if (!authorization.ok) {
      refuse(authorization.code, authorization.message)
      continue
    }
    if (motion.majorityRule.eligibleOnly && !unit.upToDate) {
      refuse(
        'not_up_to_date',
        `Unit ${unit.number} is not up to date and this motion counts only up-to-date units`,
      )
      continue
    }
    if (!unit.present) {
      refuse('not_present', `Unit ${unit.number} is not checked in to the assembly`)
      continue
    }
    const problem = ballotProblem(motion, ballot.optionKeys)
    if (problem) {
      refuse('invalid_options', problem)
      continue
    }
    const directed = authorization.role === 'proxy' ? instructionFor(unit.proxy, motion.id) : null
    if (directed && (ballot.optionKeys.length !== 1 || ballot.optionKeys[0] !== directed)) {
      refuse(
        'proxy_directed',
        `The owner of unit ${unit.number} directed this proxy to vote '${directed}' on this motion`,
      )
      continue
    }
    accepted.push({
      unit,
      optionKeys: [...ballot.optionKeys],
      role: authorization.role,
      proxyId: authorization.proxyId,
    })
  }
  return { accepted, refused }
}

/** The option a directed proxy must vote on `motionId`, or null when the holder is free to choose. */
export function instructionFor(proxy: ProxyFacts | null, motionId: string | undefined): string | null {
  if (!proxy?.instructions || !motionId) return null
  return proxy.instructions[motionId] ?? null
}

/** One status for a request with refused ballots: 403 if anyone lacked the right, else 409, else 422. */
export function refusalStatus(refused: readonly BallotRefusal[]): 403 | 409 | 422 {
  const statuses = new Set(refused.map((refusal) => refusalStatuses[refusal.code]))
  if (statuses.has(403)) return 403
  if (statuses.has(409)) return 409
  return 422
}
