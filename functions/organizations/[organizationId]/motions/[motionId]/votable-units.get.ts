import { Elysia, status, t } from 'elysia'
import { getMotion, resolveVotableUnits } from '../../../../../core/motions/index.ts'
import { VotableUnitSchema } from '../../../../../core/motions/schemas.ts'
import { auth } from '../../../../_lib/auth.ts'
import { errorBody } from '../../../../_lib/errors.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { MotionParams, motionTags, Uuid } from '../_schemas.ts'

/** The units the signed-in person may vote on this motion: as owner, or as holder of their proxies. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, membership }) => {
    const motion = await getMotion(s.db, params)
    if (!motion) return status(404, errorBody('not_found', 'Motion not found'))
    // The same person the vote route acts as.
    const personId = membership?.personIds[0] ?? null
    const units = personId
      ? await resolveVotableUnits(s.db, {
          organizationId: params.organizationId,
          assemblyId: motion.assemblyId,
          personId,
        })
      : []
    return { motionId: motion.id, personId, units }
  },
  {
    auth: 'member',
    params: MotionParams,
    response: {
      200: t.Object({
        motionId: Uuid,
        personId: t.Nullable(Uuid),
        units: t.Array(VotableUnitSchema),
      }),
      404: ErrorResponse,
    },
    detail: {
      summary: 'The units I may vote',
      description: 'Presence and up-to-date status are reported, not filtered.',
      tags: motionTags,
    },
  },
)
