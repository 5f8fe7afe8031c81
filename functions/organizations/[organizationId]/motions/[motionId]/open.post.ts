import { Elysia, t } from 'elysia'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { LiveQuorumSchema } from '../../assemblies/_schemas.ts'
import { MotionParams, MotionSchema, motionTags, motionView } from '../_schemas.ts'

/** Opens a draft motion for voting (through the vote path), checking the quorum when the motion requires it. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, user }) => {
    const { motion, quorum } = await s.votes.open({ ...params, actor: { userId: user.id } })
    return { motion: motionView(motion), quorum }
  },
  {
    auth: 'ph-admin',
    params: MotionParams,
    response: {
      200: t.Object({
        motion: MotionSchema,
        quorum: t.Nullable(LiveQuorumSchema, { description: 'The quorum checked; null when not required' }),
      }),
      404: ErrorResponse,
      409: ErrorResponse,
    },
    detail: {
      summary: 'Open a motion for voting',
      description:
        'Errors: 409 motion_not_draft, 409 assembly_not_in_progress, 409 quorum_not_reached ' +
        '(details: the live quorum).',
      tags: motionTags,
    },
  },
)
