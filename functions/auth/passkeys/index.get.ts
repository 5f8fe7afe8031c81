import { Elysia, t } from 'elysia'
import { listPasskeys } from '../../../core/auth/passkeys.ts'
import { auth } from '../../_lib/auth.ts'
import { ErrorResponse } from '../../_lib/schemas.ts'
import { PasskeyJson, passkeyJson, passkeyTags } from './_shared.ts'

/** The signed-in user's passkeys. */
export default new Elysia()
  .use(auth)
  .get(
    '',
    async ({ services: s, user }) => ({ passkeys: (await listPasskeys(s.db, user.id)).map(passkeyJson) }),
    {
      auth: 'user',
      response: { 200: t.Object({ passkeys: t.Array(PasskeyJson) }), 401: ErrorResponse },
      detail: { summary: 'List my passkeys', tags: passkeyTags },
    },
  )
