import { Elysia, t } from 'elysia'
import { verifyAuthentication } from '../../../core/auth/passkeys.ts'
import { assertSignInRequest } from '../../../core/auth/sign-in-limits.ts'
import { clientIp } from '../../_lib/auth.ts'
import { ErrorResponse } from '../../_lib/schemas.ts'
import { services } from '../../_lib/services.ts'
import { signIn } from '../../_lib/session-cookie.ts'
import { AuthenticationResponse, passkeyDeps, passkeyTags } from './_shared.ts'

/** Signs in with a passkey (public): a session cookie for browsers, the token for API clients. */
export default new Elysia().use(services).post(
  '',
  async ({ services: s, body, request, server, set }) => {
    const ip = clientIp(request, server, s.config)
    await assertSignInRequest(s.limiters, s.config.auth, ip)
    const { userId } = await verifyAuthentication(passkeyDeps(s), body.challengeId, body.response, { ip })
    const session = await signIn(s, {
      userId,
      method: 'passkey',
      ip,
      userAgent: request.headers.get('user-agent'),
    })
    set.headers['set-cookie'] = session.cookie
    return { token: session.token, expiresAt: session.expiresAt.toISOString() }
  },
  {
    body: t.Object(
      {
        challengeId: t.String({ pattern: '^[a-z2-7]+$', minLength: 16, maxLength: 64 }),
        response: AuthenticationResponse,
      },
      { additionalProperties: false },
    ),
    response: {
      200: t.Object({ token: t.String(), expiresAt: t.String() }),
      400: ErrorResponse,
      429: ErrorResponse,
    },
    detail: { summary: 'Sign in with a passkey', tags: passkeyTags },
  },
)
