import { Elysia, status } from 'elysia'
import { verifyReceipt } from '../../../../../core/motions/index.ts'
import { ReceiptCheckSchema } from '../../../../../core/motions/schemas.ts'
import { errorBody } from '../../../../_lib/errors.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { services } from '../../../../_lib/services.ts'
import { organizationOfPublicMotion, publicReceiptTags, ReceiptCheckParams } from '../../_public-motion.ts'

/** Checks a receipt code, no sign-in: whether it is the current vote of some unit and counted in the result. */
export default new Elysia().use(services).get(
  '',
  async ({ services: s, params, request, server }) => {
    const organizationId = await organizationOfPublicMotion(s, request, server, params.motionId)
    if (!organizationId) return status(404, errorBody('not_found', 'Motion not found'))
    return verifyReceipt(s.db, { organizationId, motionId: params.motionId, code: params.code })
  },
  {
    params: ReceiptCheckParams,
    response: {
      200: ReceiptCheckSchema,
      404: ErrorResponse,
      422: ErrorResponse,
      429: ErrorResponse,
    },
    detail: { summary: 'Verify a vote receipt', tags: publicReceiptTags },
  },
)
