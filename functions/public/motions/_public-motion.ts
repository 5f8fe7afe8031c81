import { t } from 'elysia'
import { assertWithinRateLimit } from '../../../core/auth/rate-limit.ts'
import { organizationOfMotion } from '../../../core/motions/lookup.ts'
import type { Services } from '../../../core/services.ts'
import { clientIp } from '../../_lib/auth.ts'

export const publicReceiptTags = ['motions', 'public']

export const MotionId = t.String({ format: 'uuid' })

export const MotionStatus = t.Union([t.Literal('draft'), t.Literal('open'), t.Literal('closed')])

export const PublicMotionParams = t.Object({ motionId: MotionId })

export const ReceiptCheckParams = t.Object({
  motionId: MotionId,
  code: t.String({
    pattern: '^[0-9A-Za-z-]{10,16}$',
    description: 'The receipt code shown when voting, e.g. 7KQ2M-X9D4A',
  }),
})

/**
 * The PH of a motion, for routes anyone may call: counts the request against the caller's address
 * first (429 past the limit), then looks the motion up across PHs, as there is no tenant to scope to.
 * Null when there is no such motion.
 */
export async function organizationOfPublicMotion(
  s: Services,
  request: Request,
  server: Parameters<typeof clientIp>[1],
  motionId: string,
): Promise<string | null> {
  await assertWithinRateLimit(s.limiters.webhook, clientIp(request, server, s.config))
  return organizationOfMotion(s.db, motionId)
}
