import { Elysia, t } from 'elysia'
import { VoteReceiptSchema } from '../../../../../core/motions/schemas.ts'
import { castAsMember } from '../../../../../core/votes/cast-as-member.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { Ballots, MotionParams, motionTags, Uuid } from '../_schemas.ts'

/**
 * Casts one ballot per unit for the signed-in owner or proxy holder (a holder may vote several units
 * with different choices at once). All or nothing; a re-vote while open replaces the unit's vote.
 */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user, membership, membershipVersion }) => {
    // A vote changes no version: the batch writer announces committed votes to the live views, and
    // moving the voting facts version per ballot would send every other vote back to be decided again.
    const accepted = await castAsMember(s, {
      ...params,
      ballots: body.ballots,
      userId: user.id,
      channel: body.channel ?? 'web',
      held:
        membership && membershipVersion !== undefined
          ? { membership, version: membershipVersion }
          : undefined,
    })
    return { motionId: accepted.motionId, votes: accepted.votes }
  },
  {
    auth: 'voter',
    params: MotionParams,
    body: t.Object(
      {
        ballots: Ballots,
        channel: t.Optional(t.Union([t.Literal('web'), t.Literal('api')], { default: 'web' })),
      },
      { additionalProperties: false },
    ),
    response: {
      200: t.Object({ motionId: Uuid, votes: t.Array(VoteReceiptSchema) }),
      403: ErrorResponse,
      404: ErrorResponse,
      409: ErrorResponse,
      422: ErrorResponse,
    },
    detail: {
      summary: 'Vote',
      description:
        'Errors: 403 voter_unknown (not an owner or proxy holder), 409 motion_not_open, ' +
        '403/409/422 ballots_rejected with details.rejected = [{ unitId, code, message }] naming each unit.',
      tags: motionTags,
    },
  },
)
