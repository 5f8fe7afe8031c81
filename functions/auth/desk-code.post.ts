import { Elysia, t } from 'elysia'
import { redeemDeskSignInCode } from '../../core/auth/desk-codes.ts'
import { clientIp } from '../_lib/auth.ts'
import { ErrorResponse } from '../_lib/schemas.ts'
import { services } from '../_lib/services.ts'
import { signIn } from '../_lib/session-cookie.ts'

/** Signs in with a one-time code from the check-in desk (typed, or opened from its QR link). */
export default new Elysia().use(services).post(
  '',
  async ({ services: s, body, request, server, set }) => {
    const ip = clientIp(request, server, s.config)
    const { userId } = await redeemDeskSignInCode(
      s.db,
      { auth: s.config.auth, limiters: s.limiters },
      { code: body.code, ip },
    )
    const session = await signIn(s, {
      userId,
      method: 'desk',
      ip,
      userAgent: request.headers.get('user-agent'),
    })
    set.headers['set-cookie'] = session.cookie
    return { token: session.token, expiresAt: session.expiresAt.toISOString() }
  },
  {
    body: t.Object(
      { code: t.String({ minLength: 10, maxLength: 16, pattern: '^[0-9A-Za-z -]+$' }) },
      { additionalProperties: false },
    ),
    response: {
      200: t.Object({ token: t.String(), expiresAt: t.String() }),
      400: ErrorResponse,
      429: ErrorResponse,
    },
    detail: {
      summary: 'Sign in with a code from the check-in desk',
      description: 'Single use, valid 10 minutes. Errors: 400 invalid_code, 429 too_many_requests.',
      tags: ['auth'],
    },
  },
)
