import { Elysia, status, t } from 'elysia'
import { deleteMotion, getMotion } from '../../../../core/motions/index.ts'
import { auth } from '../../../_lib/auth.ts'
import { errorBody } from '../../../_lib/errors.ts'
import { ErrorResponse } from '../../../_lib/schemas.ts'
import { MotionParams, motionTags } from './_schemas.ts'

/** Deletes a draft motion (an opened one is part of the record and stays). */
export default new Elysia().use(auth).delete(
  '',
  async ({ services: s, params, user }) => {
    // Read first only to know which assembly's screens to wake afterwards.
    const motion = await getMotion(s.db, params)
    if (!motion) return status(404, errorBody('not_found', 'Motion not found'))
    await deleteMotion(s.db, { ...params, actor: { userId: user.id } })
    await s.announceChange(params.organizationId, motion.assemblyId)
    return { deleted: true }
  },
  {
    auth: 'ph-admin',
    params: MotionParams,
    response: { 200: t.Object({ deleted: t.Boolean() }), 404: ErrorResponse, 409: ErrorResponse },
    detail: {
      summary: 'Delete a draft motion',
      description: 'Errors: 409 motion_not_editable once opened.',
      tags: motionTags,
    },
  },
)
