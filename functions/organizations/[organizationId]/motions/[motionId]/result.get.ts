import { Elysia, status, t } from 'elysia'
import { getMotion, getMotionResult, readRunningTally } from '../../../../../core/motions/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { errorBody } from '../../../../_lib/errors.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import {
  MotionParams,
  MotionResultSchema,
  motionTags,
  RunningTallySchema,
  readsExactFigures,
  resultView,
} from '../_schemas.ts'

/**
 * The frozen result of a closed motion. While it is open: the running tally as the seal allows (secret
 * motions, and named ones in a PH that seals them, show only turnout), and the look is audited.
 */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, membership, user }) => {
    const motion = await getMotion(s.db, params)
    if (!motion) return status(404, errorBody('not_found', 'Motion not found'))
    if (motion.status === 'open') {
      const queued = await s.votes.latestBallots(motion.id)
      return readRunningTally(s.db, { ...params, motion, userId: user.id, view: 'result', queued })
    }
    const result = await getMotionResult(s.db, params)
    if (!result) return status(409, errorBody('motion_not_closed', 'The motion has no result yet'))
    return resultView(result, readsExactFigures(membership))
  },
  {
    auth: 'member',
    params: MotionParams,
    response: {
      200: t.Union([MotionResultSchema, RunningTallySchema]),
      404: ErrorResponse,
      409: ErrorResponse,
    },
    detail: {
      summary: 'The result of a motion (or its sealed running tally while open)',
      description:
        'While open: turnout only for secret motions and for named ones when the PH seals results; ' +
        'every look while open is written to the audit log (motion.tally_viewed). ' +
        'Errors: 409 motion_not_closed while the motion is a draft.',
      tags: motionTags,
    },
  },
)
