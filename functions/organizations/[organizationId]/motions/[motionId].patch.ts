import { Elysia } from 'elysia'
import { updateMotion } from '../../../../core/motions/index.ts'
import { auth } from '../../../_lib/auth.ts'
import { ErrorResponse } from '../../../_lib/schemas.ts'
import { MotionParams, MotionSchema, motionTags, motionView, UpdateMotionBody } from './_schemas.ts'

/** Changes a draft motion; absent fields keep their value. */
export default new Elysia().use(auth).patch(
  '',
  async ({ services: s, params, body, user }) => {
    const motion = await updateMotion(
      s.db,
      { ...params, ...body, actor: { userId: user.id } },
      { changes: s.changes },
    )
    return motionView(motion)
  },
  {
    auth: 'ph-admin',
    params: MotionParams,
    body: UpdateMotionBody,
    response: { 200: MotionSchema, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    detail: {
      summary: 'Edit a draft motion',
      description: 'Errors: 409 motion_not_editable once opened, 409 assembly_closed, 422 validation_failed.',
      tags: motionTags,
    },
  },
)
