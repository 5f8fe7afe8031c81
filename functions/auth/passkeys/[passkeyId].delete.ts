import { Elysia, t } from 'elysia'
import { deletePasskey } from '../../../core/auth/passkeys.ts'
import { auth, clientIp } from '../../_lib/auth.ts'
import { ErrorResponse } from '../../_lib/schemas.ts'
import { passkeyTags } from './_shared.ts'

/** Removes one of the signed-in user's passkeys (another user's is answered as not found). */
export default new Elysia().use(auth).delete(
  '',
  async ({ services: s, user, params, request, server }) => {
    await deletePasskey(s.db, user.id, params.passkeyId, { ip: clientIp(request, server, s.config) })
    return { deleted: true }
  },
  {
    auth: 'user',
    params: t.Object({ passkeyId: t.String({ pattern: '^[A-Za-z0-9_-]+$', maxLength: 1364 }) }),
    response: { 200: t.Object({ deleted: t.Boolean() }), 401: ErrorResponse, 404: ErrorResponse },
    detail: { summary: 'Delete one of my passkeys', tags: passkeyTags },
  },
)
