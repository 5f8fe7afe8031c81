import { Elysia, status } from 'elysia'
import { getMotion } from '../../../../core/motions/index.ts'
import { auth } from '../../../_lib/auth.ts'
import { errorBody } from '../../../_lib/errors.ts'
import { ErrorResponse } from '../../../_lib/schemas.ts'
import { MotionParams, MotionSchema, motionTags, motionView } from './_schemas.ts'

/** One motion of the PH. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params }) => {
    const motion = await getMotion(s.db, params)
    if (!motion) return status(404, errorBody('not_found', 'Motion not found'))
    return motionView(motion)
  },
  {
    auth: 'member',
    params: MotionParams,
    response: { 200: MotionSchema, 404: ErrorResponse },
    detail: { summary: 'Get a motion', tags: motionTags },
  },
)
