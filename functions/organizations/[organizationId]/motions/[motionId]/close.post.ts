import { Elysia, status, t } from 'elysia'
import { getMotion } from '../../../../../core/motions/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { errorBody } from '../../../../_lib/errors.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import {
  MotionParams,
  MotionResultSchema,
  MotionSchema,
  motionTags,
  motionView,
  readsExactFigures,
  resultView,
} from '../_schemas.ts'

/** Closes an open motion: no ballot is accepted afterwards, and its result is frozen and chained. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, user, membership }) => {
    // The vote path closes its queue before it looks the motion up, so a motion of another PH or a
    // draft would be closed there for good (votes refused after a later open). Check both first.
    const current = await getMotion(s.db, params)
    if (!current) return status(404, errorBody('not_found', 'Motion not found'))
    if (current.status === 'draft') {
      return status(409, errorBody('motion_not_open', 'The motion was never opened'))
    }
    const { motion, result } = await s.votes.close({ ...params, actor: { userId: user.id } })
    return { motion: motionView(motion), result: resultView(result, readsExactFigures(membership)) }
  },
  {
    auth: 'ph-admin',
    params: MotionParams,
    response: {
      200: t.Object({ motion: MotionSchema, result: MotionResultSchema }),
      404: ErrorResponse,
      409: ErrorResponse,
    },
    detail: {
      summary: 'Close a motion and freeze its result',
      description: 'Errors: 409 motion_not_open (a draft), 409 motion_already_closed.',
      tags: motionTags,
    },
  },
)
