import { t } from 'elysia'
import { type ChatLink, maskChatId } from '../../core/chat/links.ts'

export const chatTags = ['chat']

export const ChatLinkSchema = t.Object({
  id: t.String({ format: 'uuid' }),
  channel: t.Union([t.Literal('telegram'), t.Literal('whatsapp')]),
  chat: t.String({ description: 'The chat id, masked (…4821)' }),
  linkedVia: t.String({ description: 'code or email' }),
  linkedAt: t.String({ format: 'date-time' }),
  muted: t.Boolean({ description: 'No assembly notifications while set' }),
  language: t.String(),
})

export function chatLinkView(link: ChatLink) {
  return {
    id: link.id,
    channel: link.channel,
    chat: maskChatId(link.externalChatId),
    linkedVia: link.linkedVia,
    linkedAt: link.linkedAt.toISOString(),
    muted: link.muted,
    language: link.language,
  }
}

export const LinkParams = t.Object({ linkId: t.String({ format: 'uuid' }) })
