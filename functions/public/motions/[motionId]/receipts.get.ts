import { Elysia, status } from 'elysia'
import { listReceipts } from '../../../../core/motions/index.ts'
import { PublicReceiptListSchema } from '../../../../core/motions/schemas.ts'
import { errorBody } from '../../../_lib/errors.ts'
import { ErrorResponse } from '../../../_lib/schemas.ts'
import { services } from '../../../_lib/services.ts'
import { organizationOfPublicMotion, PublicMotionParams, publicReceiptTags } from '../_public-motion.ts'

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
      200: PublicReceiptListSchema,
      404: ErrorResponse,
      429: ErrorResponse,
    },
    detail: { summary: 'The public receipt list of a motion', tags: publicReceiptTags },
  },
)
