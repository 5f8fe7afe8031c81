import { startRecordingServer } from '../../core/chat/testing.ts'
import type { InboundMessage, WebhookPayload } from './inbound.ts'
import { signBody } from './signature.ts'

/*
 * A fake Graph API capturing outgoing messages, and real-shaped Cloud API webhook deliveries.
 */

export function startFakeGraphApi() {
  const failures: { status: number; body: unknown }[] = []
  let messageId = 0
  const server = startRecordingServer(() => {
    const failure = failures.shift()
    if (failure) return Response.json(failure.body, { status: failure.status })
    return Response.json({ messaging_product: 'whatsapp', messages: [{ id: `wamid.out.${++messageId}` }] })
  })
  return {
    url: server.url,
    // biome-ignore lint/suspicious/noExplicitAny: payloads are checked field by field in the tests
    messagesTo: (waId: string): any[] =>
      server.calls.filter((call) => (call.body as { to?: string })?.to === waId).map((call) => call.body),
    paths: () => server.calls.map((call) => call.path),
    failNext: (...responses: { status: number; body: unknown }[]) => failures.push(...responses),
    stop: server.stop,
  }
}

export type FakeGraphApi = ReturnType<typeof startFakeGraphApi>

let counter = 0

export function textMessage(from: string, body: string): InboundMessage {
  return { from, id: `wamid.in.${++counter}.${crypto.randomUUID()}`, type: 'text', text: { body } }
}

export function buttonReply(from: string, id: string, title = 'x'): InboundMessage {
  return {
    from,
    id: `wamid.in.${++counter}.${crypto.randomUUID()}`,
    type: 'interactive',
    interactive: { type: 'button_reply', button_reply: { id, title } },
  }
}

export function listReply(from: string, id: string, title = 'x'): InboundMessage {
  return {
    from,
    id: `wamid.in.${++counter}.${crypto.randomUUID()}`,
    type: 'interactive',
    interactive: { type: 'list_reply', list_reply: { id, title } },
  }
}

/** A `messages` delivery as Meta sends it to the webhook. */
export function deliveryOf(messages: InboundMessage[], phoneNumberId = '1234567890'): WebhookPayload {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        changes: [
          {
            field: 'messages',
            value: {
              metadata: { phone_number_id: phoneNumberId },
              messages: messages.map((message) => ({
                ...message,
                timestamp: String(Math.floor(Date.now() / 1000)),
              })),
            },
          },
        ],
      },
    ],
  }
}

/** The POST Meta would make, signed with the app secret (or with `signature` when given). */
export function signedRequest(appSecret: string, payload: unknown, signature?: string | null): Request {
  const body = JSON.stringify(payload)
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  const header = signature === undefined ? signBody(appSecret, body) : signature
  if (header !== null) headers['x-hub-signature-256'] = header
  return new Request('http://localhost/bots/whatsapp', { method: 'POST', headers, body })
}

/** Reply button ids by title, or list row ids by title, of a sent interactive message. */
export function choicesOf(message: {
  interactive?: {
    action?: {
      buttons?: { reply: { id: string; title: string } }[]
      sections?: { rows: { id: string; title: string }[] }[]
    }
  }
}): Record<string, string> {
  const action = message.interactive?.action
  const buttons = (action?.buttons ?? []).map((button) => [button.reply.title, button.reply.id])
  const rows = (action?.sections ?? []).flatMap((section) => section.rows.map((row) => [row.title, row.id]))
  return Object.fromEntries([...buttons, ...rows])
}
