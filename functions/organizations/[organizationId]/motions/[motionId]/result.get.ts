import { Elysia, status } from 'elysia'
import { getMotion, getMotionResult } from '../../../../../core/motions/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { errorBody } from '../../../../_lib/errors.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { MotionParams, MotionResultSchema, motionTags, readsExactFigures, resultView } from '../_schemas.ts'

/** The frozen result of a closed motion. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, membership }) => {
    const motion = await getMotion(s.db, params)
    if (!motion) return status(404, errorBody('not_found', 'Motion not found'))
    const result = await getMotionResult(s.db, params)
    if (!result) return status(409, errorBody('motion_not_closed', 'The motion has no result yet'))
    return resultView(result, readsExactFigures(membership))
  },
  {
    auth: 'member',
    params: MotionParams,
    response: { 200: MotionResultSchema, 404: ErrorResponse, 409: ErrorResponse },
    detail: {
      summary: 'The result of a motion',
      description: 'Errors: 409 motion_not_closed while the motion is a draft or open.',
      tags: motionTags,
    },
  },
)
