import { Elysia, status, t } from 'elysia'
import { unlinkChat } from '../../../core/chat/links.ts'
import { auth } from '../../_lib/auth.ts'
import { errorBody } from '../../_lib/errors.ts'
import { ErrorResponse } from '../../_lib/schemas.ts'
import { chatTags, LinkParams } from '../_schemas.ts'

/** Unlinks one of the signed-in user's chats (another user's is answered as not found). */
export default new Elysia().use(auth).delete(
  '',
  async ({ services: s, user, params }) => {
    const removed = await unlinkChat(s.db, { userId: user.id, linkId: params.linkId })
    if (!removed) return status(404, errorBody('not_found', 'Chat link not found'))
    return { deleted: true }
  },
  {
    auth: 'user',
    params: LinkParams,
    response: { 200: t.Object({ deleted: t.Boolean() }), 401: ErrorResponse, 404: ErrorResponse },
    detail: { summary: 'Unlink a chat', tags: chatTags },
  },
)
