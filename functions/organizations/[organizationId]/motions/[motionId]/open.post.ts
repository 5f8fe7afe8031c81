import { Elysia, t } from 'elysia'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { MotionParams, MotionSchema, motionTags, motionView, Threshold, Uuid } from '../_schemas.ts'

const Share = t.Object({ units: t.Integer(), coefficient: t.String() })

const LiveQuorum = t.Object({
  assemblyId: Uuid,
  call: t.Union([t.Literal('first'), t.Literal('second')]),
  rule: t.Object({
    preset: t.Optional(t.String()),
    base: t.Union([t.Literal('coefficient'), t.Literal('units'), t.Literal('both')]),
    eligibleOnly: t.Boolean(),
    firstCall: Threshold,
    secondCall: t.Nullable(Threshold),
  }),
  reached: t.Boolean(),
  threshold: t.Nullable(Threshold),
  reason: t.Nullable(t.String()),
  explanation: t.String(),
  byCoefficient: t.Object({ present: t.String(), total: t.String(), percent: t.String(), met: t.Boolean() }),
  byUnits: t.Object({ present: t.Integer(), total: t.Integer(), percent: t.String(), met: t.Boolean() }),
  inPerson: Share,
  remote: Share,
})

/** Opens a draft motion for voting (through the vote path), checking the quorum when the motion requires it. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, user }) => {
    const { motion, quorum } = await s.votes.open({ ...params, actor: { userId: user.id } })
    await s.announceChange(params.organizationId, motion.assemblyId)
    return { motion: motionView(motion), quorum }
  },
  {
    auth: 'ph-admin',
    params: MotionParams,
    response: {
      200: t.Object({
        motion: MotionSchema,
        quorum: t.Nullable(LiveQuorum, { description: 'The quorum checked; null when not required' }),
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
