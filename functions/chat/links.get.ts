import { Elysia, t } from 'elysia'
import { listUserLinks } from '../../core/chat/links.ts'
import { auth } from '../_lib/auth.ts'
import { ErrorResponse } from '../_lib/schemas.ts'
import { ChatLinkSchema, chatLinkView, chatTags } from './_schemas.ts'

/** The signed-in user's linked Telegram and WhatsApp chats. */
export default new Elysia()
  .use(auth)
  .get(
    '',
    async ({ services: s, user }) => ({ links: (await listUserLinks(s.db, user.id)).map(chatLinkView) }),
    {
      auth: 'user',
      response: { 200: t.Object({ links: t.Array(ChatLinkSchema) }), 401: ErrorResponse },
      detail: { summary: 'List my linked chats', tags: chatTags },
    },
  )
