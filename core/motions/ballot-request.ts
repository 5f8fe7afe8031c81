import { AppError } from '../errors.ts'
import { MAX_BALLOTS_PER_REQUEST } from './ballot-schema.ts'
import type { AcceptedBallot, BallotInput, BallotRefusal } from './eligibility.ts'
import { refusalStatus } from './eligibility.ts'
import type { Actor, VoteChannel } from './types.ts'

/** A request of ballots: one per unit, cast by one person (an owner, or a proxy holder for several units). */
export interface CastVotesInput {
  organizationId: string
  motionId: string
  ballots: readonly BallotInput[]
  actor: Actor
  channel: VoteChannel
  /** Defaults to the current time; tests pin it to check proxy validity windows. */
  now?: Date
}

export { MAX_BALLOTS_PER_REQUEST } from './ballot-schema.ts'

/**
 * The person casting a request of ballots, after the request-level checks shared by every vote path:
 * 422 no_ballots / too_many_ballots, 403 voter_unknown (no owner or proxy holder behind the actor).
 */
export function voterOf(ballots: readonly BallotInput[], actor: Actor): string {
  if (ballots.length === 0) throw new AppError(422, 'no_ballots', 'A vote needs at least one ballot')
  if (ballots.length > MAX_BALLOTS_PER_REQUEST) {
    throw new AppError(422, 'too_many_ballots', `At most ${MAX_BALLOTS_PER_REQUEST} ballots per request`)
  }
  if (!actor.personId) throw new AppError(403, 'voter_unknown', 'Only an owner or a proxy holder can vote')
  return actor.personId
}

/**
 * All or nothing: the accepted ballots when none was refused, else the refusal of the whole request,
 * naming every refused unit and why (403 when any refusal is about the right to vote, else 409, else 422).
 */
export function acceptAllOrThrow(evaluated: { accepted: AcceptedBallot[]; refused: BallotRefusal[] }) {
  const { accepted, refused } = evaluated
  if (refused.length === 0) return accepted
  const summary = refused.map((refusal) => `${refusal.unitId}: ${refusal.code}`).join('; ')
  throw new AppError(
    refusalStatus(refused),
    'ballots_rejected',
    `Ballots refused, none stored (${summary})`,
    {
      rejected: refused,
    },
  )
}
