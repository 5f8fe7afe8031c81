import { Elysia, t } from 'elysia'
import { auditTallyView, getMotion, recountMotion, sealedFor } from '../../../../../core/motions/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import {
  MotionParams,
  MotionResultSchema,
  motionTags,
  ResultBodySchema,
  readsExactFigures,
  resultBodyView,
  resultView,
} from '../_schemas.ts'

/** Recomputes a closed motion's result from the votes table and compares it with the stored snapshot. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, membership, user }) => {
    const motion = await getMotion(s.db, params)
    // A recount of an open motion is refused below, but asking for it is looking at the count: audited.
    if (motion?.status === 'open') {
      const sealed = await sealedFor(s.db, params.organizationId, motion)
      await auditTallyView(s.db, { ...params, motion, userId: user.id, view: 'recount', sealed })
    }
    const report = await recountMotion(s.db, params)
    return {
      matches: report.matches,
      hashValid: report.hashValid,
      differences: report.differences,
      stored: resultView(report.stored, readsExactFigures(membership)),
      recomputed: resultBodyView(report.recomputed, readsExactFigures(membership)),
    }
  },
  {
    auth: 'ph-admin',
    params: MotionParams,
    response: {
      200: t.Object({
        matches: t.Boolean({ description: 'The recount equals the snapshot and its hash is valid' }),
        hashValid: t.Boolean(),
        differences: t.Array(t.String(), { description: 'Parts that differ, e.g. totals, outcome' }),
        stored: MotionResultSchema,
        recomputed: ResultBodySchema,
      }),
      404: ErrorResponse,
      409: ErrorResponse,
    },
    detail: {
      summary: 'Verify a result against a recount',
      description: 'Errors: 409 motion_not_closed.',
      tags: motionTags,
    },
  },
)
