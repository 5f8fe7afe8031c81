import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { telegramEnv } from '../core/chat/testing.ts'
import { createTestServices, type TestServices } from '../core/services-testing.ts'
import { createBotsApp, startBotsServer } from './server.ts'
import { startFakeBotApi, textUpdate } from './telegram/testing.ts'

const api = startFakeBotApi()
let services: TestServices
let app: ReturnType<typeof createBotsApp>

beforeAll(async () => {
  services = await createTestServices({
    ...telegramEnv(api.url),
    BOTS_RATE_LIMIT_PER_MINUTE: '20',
    BODY_LIMIT_BYTES: '4096',
  })
  app = createBotsApp({ services, notifications: false })
}, 60_000)
afterAll(async () => {
  await app.stop()
  await services.close()
  api.stop()
}, 60_000)

const update = (chatId: number, text: string, headers: Record<string, string> = {}) =>
  new Request('http://localhost/bots/telegram', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-forwarded-for': `198.51.100.${chatId % 250}`,
      ...headers,
    },
    body: JSON.stringify(textUpdate(chatId, text)),
  })

describe('the bots process', () => {
  it('answers health and readiness', async () => {
    expect((await app.fetch(new Request('http://localhost/api/health'))).status).toBe(200)
    const ready = await app.fetch(new Request('http://localhost/api/ready'))
    expect(await ready.json()).toEqual({ ready: true, database: true, bus: true })
  })

  it('takes Telegram updates only with the webhook secret token', async () => {
    const refused = await app.fetch(
      update(1, '/ayuda', { 'x-telegram-bot-api-secret-token': 'wrong-secret-token' }),
    )
    expect(refused.status).toBe(401)
    expect(api.messagesTo(1)).toHaveLength(0)
    const accepted = await app.fetch(
      update(1, '/ayuda', { 'x-telegram-bot-api-secret-token': 'telegram-secret-for-tests' }),
    )
    expect(accepted.status).toBe(200)
    expect(api.messagesTo(1)[0].text).toContain('Asamblea 2.0')
  })

  it('handles a replayed update once: one reply, the replay answered 200', async () => {
    const secret = { 'x-telegram-bot-api-secret-token': 'telegram-secret-for-tests' }
    const body = JSON.stringify(textUpdate(41, '/ayuda'))
    const post = () =>
      app.fetch(
        new Request('http://localhost/bots/telegram', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.41', ...secret },
          body,
        }),
      )
    expect((await post()).status).toBe(200)
    const replay = await post()
    expect(replay.status).toBe(200)
    expect(await replay.json()).toEqual({ ok: true, duplicate: true })
    expect(api.messagesTo(41)).toHaveLength(1)
  })

  it.each([
    ['malformed JSON', '{"update_id": 5, "message": ', 'malformed_body'],
    ['JSON without an update_id', '{"message": {}}', 'invalid_update'],
    ['a JSON array', '[1, 2]', 'invalid_update'],
  ])('answers %s carrying the right secret with 400 and the error shape', async (_name, body, code) => {
    const response = await app.fetch(
      new Request('http://localhost/bots/telegram', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-forwarded-for': '198.51.100.42',
          'x-telegram-bot-api-secret-token': 'telegram-secret-for-tests',
        },
        body,
      }),
    )
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code)
  })

  it('does not let a request without the secret mark an update as seen', async () => {
    const body = JSON.stringify(textUpdate(43, '/ayuda'))
    const post = (headers: Record<string, string>) =>
      app.fetch(
        new Request('http://localhost/bots/telegram', {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.43', ...headers },
          body,
        }),
      )
    expect((await post({ 'x-telegram-bot-api-secret-token': 'wrong' })).status).toBe(401)
    expect((await post({ 'x-telegram-bot-api-secret-token': 'telegram-secret-for-tests' })).status).toBe(200)
    expect(api.messagesTo(43)).toHaveLength(1)
  })

  it('says the WhatsApp channel is off when it has no credentials', async () => {
    const response = await app.fetch(
      new Request('http://localhost/bots/whatsapp', { method: 'POST', body: '{}' }),
    )
    expect(response.status).toBe(404)
    expect((await response.json()).error.code).toBe('channel_off')
  })

  it('refuses a body over the limit with 413', async () => {
    const response = await app.fetch(
      new Request('http://localhost/bots/telegram', {
        method: 'POST',
        headers: { 'x-forwarded-for': '203.0.113.9' },
        body: 'x'.repeat(5000),
      }),
    )
    expect(response.status).toBe(413)
  })

  it('limits webhook requests per client address (429 with Retry-After)', async () => {
    const statuses: number[] = []
    for (let i = 0; i < 25; i++) statuses.push((await app.fetch(update(2, '/ayuda'))).status)
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0)
    const limited = await app.fetch(update(2, '/ayuda'))
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
    const elsewhere = await app.fetch(
      update(3, '/ayuda', { 'x-telegram-bot-api-secret-token': 'telegram-secret-for-tests' }),
    )
    expect(elsewhere.status).toBe(200)
  })

  it('exposes metrics for Prometheus', async () => {
    const text = await (await app.fetch(new Request('http://localhost/metrics'))).text()
    expect(text).toContain('bots_webhook_rate_limited_total')
    expect(text).toMatch(/bots_notifications_sent_total \d+/)
  })

  it('runs Telegram by long polling when configured so (development)', async () => {
    const polling = createBotsApp({
      services: {
        ...services,
        config: {
          ...services.config,
          bots: { ...services.config.bots, telegram: { ...services.config.bots.telegram!, mode: 'polling' } },
        },
      },
      notifications: false,
    })
    api.queueUpdates(textUpdate(77, '¿Qué es esto?'))
    await polling.start()
    try {
      for (let i = 0; i < 100 && api.messagesTo(77).length === 0; i++) await Bun.sleep(20)
      expect(api.messagesTo(77)[0]?.text).toContain('plataforma de asambleas')
      const webhook = await polling.fetch(update(78, '/ayuda'))
      expect(webhook.status).toBe(404)
    } finally {
      await polling.stop()
    }
  })

  it('listens on a port and stops', async () => {
    const bots = await startBotsServer({ services, port: 0, notifications: false })
    try {
      const response = await fetch(`http://127.0.0.1:${bots.server.port}/api/health`)
      expect(await response.json()).toEqual({ status: 'ok' })
    } finally {
      await bots.stop()
    }
  })
})
