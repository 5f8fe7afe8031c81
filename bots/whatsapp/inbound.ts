import { decodeAction } from '../../core/chat/actions.ts'
import { answer } from '../../core/chat/engine.ts'
import { type Intent, parseText } from '../../core/chat/intents.ts'
import { findChatLink } from '../../core/chat/links.ts'
import { type ChatServices, type ChatState, languageOf } from '../../core/chat/types.ts'
import type { WhatsAppConfig } from '../../core/config.ts'
import { createBusStorage } from '../storage.ts'
import type { GraphClient } from './client.ts'
import { renderReply } from './render.ts'

/*
 * One inbound WhatsApp message, after the webhook accepted it: deduplicated on its id (Meta delivers
 * at least once), turned into an intent, answered by the shared engine, replied to through the
 * Graph API. Messages of one chat are handled in order.
 */

const SEEN_TTL_MS = 7 * 86_400_000
const STATE_TTL_MS = 7 * 86_400_000
/** The customer service window: free-form messages are allowed this long after the person wrote. */
export const WINDOW_MS = 24 * 3_600_000
export const windowKey = (waId: string) => `bots:whatsapp:window:${waId}`

/** The parts of a Cloud API `messages` webhook the bot reads. */
export interface InboundMessage {
  id: string
  from: string
  type: string
  text?: { body: string }
  interactive?: {
    type: 'button_reply' | 'list_reply'
    button_reply?: { id: string; title: string }
    list_reply?: { id: string; title: string }
  }
  button?: { payload?: string; text?: string }
}

export interface WebhookPayload {
  object?: string
  entry?: {
    changes?: {
      field?: string
      value?: { metadata?: { phone_number_id?: string }; messages?: InboundMessage[] }
    }[]
  }[]
}

/** The messages addressed to our number in a webhook payload (statuses and other fields ignored). */
export function messagesOf(payload: WebhookPayload, phoneNumberId: string): InboundMessage[] {
  if (payload.object !== 'whatsapp_business_account') return []
  return (payload.entry ?? []).flatMap((entry) =>
    (entry.changes ?? [])
      .filter(
        (change) => change.field === 'messages' && change.value?.metadata?.phone_number_id === phoneNumberId,
      )
      .flatMap((change) => change.value?.messages ?? []),
  )
}

export function intentOf(message: InboundMessage, state: ChatState): Intent {
  if (message.type === 'text' && message.text) return parseText(message.text.body, state)
  const data =
    message.interactive?.button_reply?.id ?? message.interactive?.list_reply?.id ?? message.button?.payload
  if (data) {
    const action = decodeAction(data)
    if (action) return { kind: 'action', action }
  }
  if (message.button?.text) return parseText(message.button.text, state)
  return { kind: 'help' }
}

export function createInboundHandler(deps: ChatServices, config: WhatsAppConfig, client: GraphClient) {
  const states = createBusStorage<ChatState>(deps.bus, 'bots:session:whatsapp:', STATE_TTL_MS)
  const chains = new Map<string, Promise<void>>()

  async function handle(message: InboundMessage): Promise<void> {
    const waId = message.from
    await deps.bus.set(windowKey(waId), String(Date.now()), WINDOW_MS)
    const link = await findChatLink(deps.db, 'whatsapp', waId)
    const state = (await states.read(waId)) ?? {}
    const result = await answer(
      deps,
      {
        channel: 'whatsapp',
        chatId: waId,
        externalUserId: null,
        userId: link?.userId ?? null,
        language: languageOf(link?.language),
        state,
      },
      intentOf(message, state),
    )
    await states.write(waId, result.state)
    for (const reply of result.replies) await client.send(waId, renderReply(reply, result.language))
  }

  return {
    /** Handles the messages of a verified payload; returns once all are answered (or failed, logged). */
    async receive(payload: WebhookPayload): Promise<void> {
      const work: Promise<void>[] = []
      for (const message of messagesOf(payload, config.phoneNumberId)) {
        if (!message.id || !message.from) continue
        if (!(await deps.bus.setIfAbsent(`bots:whatsapp:seen:${message.id}`, '1', SEEN_TTL_MS))) continue
        const previous = chains.get(message.from) ?? Promise.resolve()
        const next = previous
          .then(() => handle(message))
          .catch((error) => deps.log.error('whatsapp message failed', { messageId: message.id, error }))
        chains.set(message.from, next)
        void next.finally(() => {
          if (chains.get(message.from) === next) chains.delete(message.from)
        })
        work.push(next)
      }
      await Promise.all(work)
    },
  }
}
