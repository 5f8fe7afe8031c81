import { Elysia, status, t } from 'elysia'
import { updateChatLink } from '../../../core/chat/links.ts'
import { auth } from '../../_lib/auth.ts'
import { errorBody } from '../../_lib/errors.ts'
import { ErrorResponse, Language } from '../../_lib/schemas.ts'
import { ChatLinkSchema, chatLinkView, chatTags, LinkParams } from '../_schemas.ts'

/** Mutes or unmutes assembly notifications of one of the user's chats, or changes its language. */
export default new Elysia().use(auth).patch(
  '',
  async ({ services: s, user, params, body }) => {
    const link = await updateChatLink(s.db, { userId: user.id, linkId: params.linkId }, body)
    if (!link) return status(404, errorBody('not_found', 'Chat link not found'))
    return chatLinkView(link)
  },
  {
    auth: 'user',
    params: LinkParams,
    body: t.Object(
      { muted: t.Optional(t.Boolean()), language: t.Optional(Language) },
      { additionalProperties: false },
    ),
    response: { 200: ChatLinkSchema, 401: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse },
    detail: { summary: 'Mute or unmute a chat’s notifications', tags: chatTags },
  },
)
