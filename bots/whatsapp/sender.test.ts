import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createTestBus } from '../../core/bus/testing.ts'
import type { Bus } from '../../core/bus/types.ts'
import { whatsappEnv } from '../../core/chat/testing.ts'
import { loadConfig, type WhatsAppConfig } from '../../core/config.ts'
import type { OutboundNotification } from '../notifications/queue.ts'
import { SendError } from '../notifications/sender.ts'
import { createGraphClient } from './client.ts'
import { WINDOW_MS, windowKey } from './inbound.ts'
import { createWhatsAppSender } from './sender.ts'
import { startFakeGraphApi } from './testing.ts'

const graph = startFakeGraphApi()
let bus: Bus
let number = 50_769_000_000

beforeAll(() => {
  bus = createTestBus()
})
afterAll(async () => {
  await bus.close()
  graph.stop()
}, 60_000)

function senderFor(templates: Record<string, string> = {}) {
  const config = loadConfig({ APP_ENV: 'test', ...whatsappEnv(graph.url, templates) }).bots
    .whatsapp as WhatsAppConfig
  return createWhatsAppSender({ bus, config, client: createGraphClient(config) })
}

function notificationTo(chatId: string): OutboundNotification {
  return {
    linkId: crypto.randomUUID(),
    channel: 'whatsapp',
    chatId,
    language: 'es',
    reply: { text: '📣 Se convocó la asamblea', choices: [{ id: 'i|agenda', label: 'Agenda' }] },
    template: { kind: 'convened', params: ['PH Torre', 'Asamblea ordinaria', '14 mar 2026, 10:00'] },
    attempt: 0,
    notBefore: 0,
  }
}

describe('the WhatsApp notification sender', () => {
  it('sends a free-form message inside the 24-hour window', async () => {
    const waId = String(++number)
    await bus.set(windowKey(waId), String(Date.now()), WINDOW_MS)
    await senderFor().send(notificationTo(waId))
    const [sent] = graph.messagesTo(waId)
    expect(sent).toMatchObject({ type: 'interactive', interactive: { type: 'button' } })
  })

  it('sends the configured template outside the window', async () => {
    const waId = String(++number)
    await senderFor({ WHATSAPP_TEMPLATE_CONVENED: 'asamblea_convocada' }).send(notificationTo(waId))
    const [sent] = graph.messagesTo(waId)
    expect(sent).toMatchObject({
      type: 'template',
      template: {
        name: 'asamblea_convocada',
        language: { code: 'es' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'PH Torre' },
              { type: 'text', text: 'Asamblea ordinaria' },
              { type: 'text', text: '14 mar 2026, 10:00' },
            ],
          },
        ],
      },
    })
  })

  it('falls back to the template when Meta says the window closed', async () => {
    const waId = String(++number)
    await bus.set(windowKey(waId), String(Date.now()), WINDOW_MS)
    graph.failNext({ status: 400, body: { error: { code: 131047, message: 'Re-engagement message' } } })
    await senderFor({ WHATSAPP_TEMPLATE_CONVENED: 'asamblea_convocada' }).send(notificationTo(waId))
    expect(graph.messagesTo(waId).map((message) => message.type)).toEqual(['interactive', 'template'])
  })

  it('gives up outside the window when no template is configured', async () => {
    const error = await senderFor()
      .send(notificationTo(String(++number)))
      .catch((caught) => caught)
    expect(error).toBeInstanceOf(SendError)
    expect(error.retryable).toBe(false)
  })

  it('retries when Meta rate-limits', async () => {
    graph.failNext({ status: 400, body: { error: { code: 130429, message: 'Rate limit hit' } } })
    const error = await senderFor({ WHATSAPP_TEMPLATE_CONVENED: 'asamblea_convocada' })
      .send(notificationTo(String(++number)))
      .catch((caught) => caught)
    expect(error).toMatchObject({ retryable: true })
  })
})
