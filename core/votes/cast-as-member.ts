import type { AuthCache } from '../auth/auth-cache.ts'
import type { Membership } from '../auth/membership.ts'
import type { Bus } from '../bus/types.ts'
import { membershipVersion, membershipVersionKey } from '../changes/versions.ts'
import { AppError } from '../errors.ts'
import type { BallotInput } from '../motions/eligibility.ts'
import type { VoteChannel } from '../motions/types.ts'
import { StaleMembership, type VoteService } from './service.ts'

export interface CastAsMemberDeps {
  votes: VoteService
  authCache: AuthCache
  bus: Bus
}

export interface CastAsMemberInput {
  organizationId: string
  motionId: string
  ballots: readonly BallotInput[]
  userId: string
  channel: VoteChannel
  /** The membership the caller already holds and the version it was read at (e.g. by the auth step). */
  held?: { membership: Membership; version: string }
}

/** Rounds of "the membership moved under us" before giving up (each one means someone changed it). */
const MAX_ROUNDS = 3

/**
 * Casts a signed-in user's ballots on the membership this process holds, with one round trip to the
 * bus in all: the membership is not re-read before the vote (that would be a second round trip);
 * instead the queue's accept step checks, in the same atomic step that appends, that the PH's
 * membership version is still the one it was read at. When it moved (a person unlinked from the user, a
 * proxy revoked), nothing was accepted and the vote is decided again on the current membership. A
 * refusal decided on a held membership is confirmed the same way: it stands only if the membership
 * version has not moved (the change may be what allows the vote).
 */
export async function castAsMember(deps: CastAsMemberDeps, input: CastAsMemberInput) {
  const { organizationId, userId } = input
  let { membership, version } = input.held ?? (await deps.authCache.heldMembership(userId, organizationId))
  let confirmed = false
  for (let round = 0; ; round++) {
    try {
      return await deps.votes.cast({
        organizationId,
        motionId: input.motionId,
        ballots: input.ballots,
        actor: { userId, personId: membership.personIds[0] ?? null },
        channel: input.channel,
        membership: { key: membershipVersionKey(organizationId), version },
      })
    } catch (error) {
      const stale = error instanceof StaleMembership
      if (!stale) {
        // Only a refusal (4xx) may rest on an out-of-date membership; confirm it once.
        if (confirmed || !(error instanceof AppError) || error.status >= 500) throw error
        if ((await membershipVersion(deps.bus, organizationId)) === version) throw error
      }
      if (round + 1 >= MAX_ROUNDS) {
        throw new AppError(503, 'facts_changing', 'The assembly is changing too fast; try again', undefined, {
          'Retry-After': '1',
        })
      }
      ;({ membership, version } = await deps.authCache.membershipNow(userId, organizationId))
      confirmed = true
    }
  }
}
