import { afterAll, describe, expect, it } from 'bun:test'
import { Api } from 'grammy'
import type { OutboundNotification } from '../notifications/queue.ts'
import { SendError } from '../notifications/sender.ts'
import { createTelegramSender } from './sender.ts'
import { startFakeBotApi } from './testing.ts'

const api = startFakeBotApi()
afterAll(() => api.stop())
const sender = createTelegramSender(
  new Api('123456789:TEST-token-abcdefghijklmnopqrstuvwxyz', { apiRoot: api.url }),
)

const notification: OutboundNotification = {
  linkId: crypto.randomUUID(),
  channel: 'telegram',
  chatId: '4242',
  language: 'es',
  reply: { text: '🗳️ Votación abierta', choices: [{ id: 'i|vote', label: 'Votar' }] },
  template: { kind: 'motion_opened', params: [] },
  attempt: 0,
  notBefore: 0,
}

const failure = (error_code: number, description: string, parameters?: object) => ({
  status: error_code,
  body: { ok: false, error_code, description, ...(parameters ? { parameters } : {}) },
})

describe('the Telegram notification sender', () => {
  it('sends the text with its button', async () => {
    await sender.send(notification)
    const [sent] = api.messagesTo(4242)
    expect(sent).toMatchObject({
      chat_id: '4242',
      text: '🗳️ Votación abierta',
      reply_markup: { inline_keyboard: [[{ text: 'Votar', callback_data: 'i|vote' }]] },
    })
  })

  it.each([
    ['429 after retry_after', failure(429, 'Too Many Requests', { retry_after: 7 }), true, 7000],
    ['403 blocked by the user', failure(403, 'Forbidden: bot was blocked by the user'), false, undefined],
    ['502 from Telegram', failure(502, 'Bad Gateway'), true, undefined],
  ])('turns %s into the right SendError', async (_name, response, retryable, retryAfterMs) => {
    api.failNext(response)
    const error = await sender.send(notification).catch((caught) => caught)
    expect(error).toBeInstanceOf(SendError)
    expect(error).toMatchObject({ retryable, retryAfterMs })
  })
})
