import { Elysia, t } from 'elysia'
import { deleteMotion } from '../../../../core/motions/index.ts'
import { auth } from '../../../_lib/auth.ts'
import { ErrorResponse } from '../../../_lib/schemas.ts'
import { MotionParams, motionTags } from './_schemas.ts'

/** Deletes a draft motion (an opened one is part of the record and stays). */
export default new Elysia().use(auth).delete(
  '',
  async ({ services: s, params, user }) => {
    await deleteMotion(s.db, { ...params, actor: { userId: user.id } }, { changes: s.changes })
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
