import { Elysia } from 'elysia'
import { createRegistrationOptions } from '../../../core/auth/passkeys.ts'
import { auth } from '../../_lib/auth.ts'
import { ErrorResponse } from '../../_lib/schemas.ts'
import { CreationOptions, passkeyDeps, passkeyTags } from './_shared.ts'

/** Starts adding a passkey to the signed-in account. */
export default new Elysia()
  .use(auth)
  .post('', ({ services: s, user }) => createRegistrationOptions(passkeyDeps(s), user), {
    auth: 'user',
    response: { 200: CreationOptions, 401: ErrorResponse },
    detail: {
      summary: 'Options to register a passkey',
      description:
        'Pass them to `navigator.credentials.create()` (via `PublicKeyCredential.parseCreationOptionsFromJSON`), ' +
        'then POST the result to /api/auth/passkeys/register within 5 minutes. Single use.',
      tags: passkeyTags,
    },
  })
