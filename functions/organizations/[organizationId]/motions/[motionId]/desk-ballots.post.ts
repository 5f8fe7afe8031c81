import { Elysia, t } from 'elysia'
import { AppError } from '../../../../../core/errors.ts'
import { DeskBallotsResultSchema } from '../../../../../core/motions/schemas.ts'
import { castDeskBallots } from '../../../../../core/votes/desk.ts'
import { auth, clientIp } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { Ballots, MotionParams, motionTags } from '../_schemas.ts'

/**
 * Staff (check-in staff or PH admin) record ballots for units present: one owner at the desk, or a
 * paper/show-of-hands count entered unit by unit. Same rules and queue as every channel.
 */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user, request, server }) => {
    const result = await castDeskBallots(
      { db: s.db, votes: s.votes },
      {
        ...params,
        ballots: body.ballots,
        kind: body.kind,
        reason: body.reason,
        staffUserId: user.id,
        ip: clientIp(request, server, s.config),
      },
    )
    // Nothing recorded is a refusal, not a success: the desk reads why in its own language.
    if (result.accepted.length === 0 && result.refused.length > 0) {
      throw new AppError(422, 'ballots_rejected', 'No ballot was recorded', { rejected: result.refused })
    }
    return result
  },
  {
    auth: 'checkin-staff',
    params: MotionParams,
    body: t.Object(
      {
        ballots: Ballots,
        kind: t.Union([t.Literal('desk'), t.Literal('paper'), t.Literal('show_of_hands')]),
        reason: t.String({
          minLength: 3,
          maxLength: 500,
          description: 'Why staff record it (stored, audited)',
        }),
      },
      { additionalProperties: false },
    ),
    response: {
      200: DeskBallotsResultSchema,
      403: ErrorResponse,
      404: ErrorResponse,
      409: ErrorResponse,
      422: ErrorResponse,
    },
    detail: {
      summary: 'Record desk, paper or show-of-hands ballots',
      description:
        'Each unit is voted for the person attending for it (owner or proxy holder), channel desk. ' +
        'Refused units are listed in `refused` with the reason; the others are accepted. ' +
        'Errors: 409 motion_not_open, 422 duplicate_unit.',
      tags: motionTags,
    },
  },
)
