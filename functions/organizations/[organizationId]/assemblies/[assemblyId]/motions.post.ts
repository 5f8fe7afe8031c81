import { Elysia } from 'elysia'
import { createMotion } from '../../../../../core/motions/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import {
  AssemblyParams,
  CreateMotionBody,
  MotionSchema,
  motionTags,
  motionView,
} from '../../motions/_schemas.ts'

/** Creates a draft motion; options default to yes / no / abstain, the majority rule to 'simple'. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user }) => {
    const motion = await createMotion(
      s.db,
      { ...params, ...body, actor: { userId: user.id } },
      { changes: s.changes },
    )
    return motionView(motion)
  },
  {
    auth: 'ph-admin',
    params: AssemblyParams,
    body: CreateMotionBody,
    response: { 200: MotionSchema, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    detail: {
      summary: 'Create a motion',
      description:
        '`majorityRule` is a preset name (simple, absolute, two-thirds, …) or a rule object. ' +
        'Errors: 409 assembly_closed, 422 validation_failed naming the field.',
      tags: motionTags,
    },
  },
)
