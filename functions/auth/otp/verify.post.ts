import { Elysia, t } from 'elysia'
import { normalizeEmail, verifyOtp } from '../../../core/auth/otp.ts'
import { clientIp } from '../../_lib/auth.ts'
import { Email, ErrorResponse } from '../../_lib/schemas.ts'
import { services } from '../../_lib/services.ts'
import { signIn } from '../../_lib/session-cookie.ts'

/** Exchanges email + attempt + code for a session (cookie for browsers, token for API clients). */
export default new Elysia().use(services).post(
  '',
  async ({ services: s, body, request, server, set }) => {
    const ip = clientIp(request, server, s.config)
    const { userId, created } = await verifyOtp(
      { db: s.db, auth: s.config.auth, limiters: s.limiters },
      { email: body.email, attempt: body.attempt, code: body.code, ip },
    )
    const session = await signIn(s, {
      userId,
      method: 'otp',
      ip,
      userAgent: request.headers.get('user-agent'),
    })
    // The owner proved they hold the address: their own retries start afresh.
    const email = normalizeEmail(body.email)
    await s.limiters.authEmail.reset(`${email}|${ip}`)
    await s.limiters.guessEmail.reset(email)
    set.headers['set-cookie'] = session.cookie
    return { token: session.token, expiresAt: session.expiresAt.toISOString(), newUser: created }
  },
  {
    body: t.Object(
      {
        email: Email,
        attempt: t.String({ minLength: 16, maxLength: 64 }),
        code: t.String({ pattern: '^[0-9]{6}$' }),
      },
      { additionalProperties: false },
    ),
    response: {
      200: t.Object({ token: t.String(), expiresAt: t.String(), newUser: t.Boolean() }),
      400: ErrorResponse,
      429: ErrorResponse,
    },
    detail: { summary: 'Sign in with the emailed code', tags: ['auth'] },
  },
)
