import { Elysia, status, t } from 'elysia'
import { listReceipts } from '../../../../core/motions/index.ts'
import { errorBody } from '../../../_lib/errors.ts'
import { ErrorResponse } from '../../../_lib/schemas.ts'
import { services } from '../../../_lib/services.ts'
import {
  MotionId,
  MotionStatus,
  organizationOfPublicMotion,
  PublicMotionParams,
  publicReceiptTags,
} from '../_public-motion.ts'

/**
 * The public receipt list of a motion, no sign-in: SHA-256 hashes only, never linked to a unit or a
 * choice, so voters can find their receipt without anything of a secret vote being revealed.
 */
export default new Elysia().use(services).get(
  '',
  async ({ services: s, params, request, server }) => {
    const organizationId = await organizationOfPublicMotion(s, request, server, params.motionId)
    if (!organizationId) return status(404, errorBody('not_found', 'Motion not found'))
    return listReceipts(s.db, { organizationId, motionId: params.motionId })
  },
  {
    params: PublicMotionParams,
    response: {
      200: t.Object({
        motionId: MotionId,
        status: MotionStatus,
        final: t.Boolean({ description: 'The list frozen into the result (hash-chained)' }),
        receipts: t.Array(t.String(), { description: 'Sorted SHA-256 hex receipts' }),
      }),
      404: ErrorResponse,
      429: ErrorResponse,
    },
    detail: { summary: 'The public receipt list of a motion', tags: publicReceiptTags },
  },
)
