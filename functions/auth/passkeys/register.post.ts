import { Elysia, t } from 'elysia'
import { verifyRegistration } from '../../../core/auth/passkeys.ts'
import { auth, clientIp } from '../../_lib/auth.ts'
import { ErrorResponse } from '../../_lib/schemas.ts'
import {
  PasskeyJson,
  PasskeyName,
  passkeyDeps,
  passkeyJson,
  passkeyTags,
  RegistrationResponseFields,
} from './_shared.ts'

/** Finishes adding a passkey: verifies the authenticator's attestation and stores the credential. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, user, body, request, server }) => {
    const { name, ...response } = body
    const passkey = await verifyRegistration(passkeyDeps(s), user, response, {
      name,
      ip: clientIp(request, server, s.config),
    })
    return passkeyJson(passkey)
  },
  {
    auth: 'user',
    body: t.Object({ ...RegistrationResponseFields, name: t.Optional(PasskeyName) }),
    response: { 200: PasskeyJson, 400: ErrorResponse, 401: ErrorResponse, 409: ErrorResponse },
    detail: {
      summary: 'Register a passkey',
      description:
        'The body is `PublicKeyCredential.toJSON()` of the created credential, plus an optional display `name`.',
      tags: passkeyTags,
    },
  },
)
