import { Elysia, t } from 'elysia'
import { createAuthenticationOptions } from '../../../core/auth/passkeys.ts'
import { assertSignInRequest } from '../../../core/auth/sign-in-limits.ts'
import { clientIp } from '../../_lib/auth.ts'
import { ErrorResponse } from '../../_lib/schemas.ts'
import { services } from '../../_lib/services.ts'
import { passkeyDeps, passkeyTags, RequestOptions } from './_shared.ts'

/** Starts a passkey sign-in (public): discoverable credentials, so no email is asked. */
export default new Elysia().use(services).post(
  '',
  async ({ services: s, request, server }) => {
    await assertSignInRequest(s.limiters, s.config.auth, clientIp(request, server, s.config))
    return createAuthenticationOptions(passkeyDeps(s))
  },
  {
    response: { 200: t.Object({ challengeId: t.String(), options: RequestOptions }), 429: ErrorResponse },
    detail: {
      summary: 'Options to sign in with a passkey',
      description:
        'Pass `options` to `navigator.credentials.get()` (with `mediation: "conditional"` for autofill), then ' +
        'POST `{ challengeId, response }` to /api/auth/passkeys/authenticate within 5 minutes. Single use.',
      tags: passkeyTags,
    },
  },
)
