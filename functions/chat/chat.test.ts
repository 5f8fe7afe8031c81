import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createSession } from '../../core/auth/sessions.ts'
import { findChatLink } from '../../core/chat/links.ts'
import { type ChatPh, createChatPh, linkTestChat, openMotion, telegramEnv } from '../../core/chat/testing.ts'
import { createTestServices } from '../../core/services-testing.ts'
import { createVoteQueue } from '../../core/votes/queue.ts'
import { createTestApp, jsonRequest } from '../_lib/testing.ts'

let services: Awaited<ReturnType<typeof createTestServices>>
let app: Awaited<ReturnType<typeof createTestApp>>
let ph: ChatPh
const headersOf = new Map<string, Record<string, string>>()

beforeAll(async () => {
  services = await createTestServices(telegramEnv('http://127.0.0.1:9'))
  app = await createTestApp(services)
  ph = await createChatPh(services)
}, 60_000)
afterAll(() => services.close(), 60_000)

/** A session for a fixture user (the bearer header the API and bots use). */
async function as(userId: string): Promise<Record<string, string>> {
  const cached = headersOf.get(userId)
  if (cached) return cached
  const { token } = await createSession(services.db, { userId }, { idleMs: 60_000, absoluteMs: 60_000 })
  const headers = { authorization: `Bearer ${token}` }
  headersOf.set(userId, headers)
  return headers
}

async function call(method: string, path: string, userId: string | null, body?: unknown) {
  const response = await app.handle(jsonRequest(method, `/api${path}`, body, userId ? await as(userId) : {}))
  return { status: response.status, body: await response.json() }
}

describe('linking from the web', () => {
  it.each([
    ['POST', '/chat/link-code'],
    ['GET', '/chat/links'],
    ['DELETE', `/chat/links/${crypto.randomUUID()}`],
    ['POST', '/chat/webchat'],
  ])('refuses %s %s without a session (401)', async (method, path) => {
    expect((await call(method, path, null, method === 'POST' ? {} : undefined)).status).toBe(401)
  })

  it('gives a one-time code and a Telegram deep link', async () => {
    const res = await call('POST', '/chat/link-code', ph.owners['1A'].userId)
    expect(res.status).toBe(200)
    expect(res.body.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    expect(res.body.telegramUrl).toBe(
      `https://t.me/asamblea_test_bot?start=${res.body.code.replace('-', '')}`,
    )
    expect(res.body.whatsappUrl).toBeNull()
    expect(res.body.expiresInSeconds).toBeGreaterThan(590)
  })

  it('lists, mutes and unlinks the user’s chats, and only theirs', async () => {
    const mine = await linkTestChat(services, 'telegram', '88001234', ph.owners['1B'].userId)
    const theirs = await linkTestChat(services, 'whatsapp', '50760004321', ph.holder.userId)
    const list = await call('GET', '/chat/links', ph.owners['1B'].userId)
    expect(list.body.links).toEqual([
      expect.objectContaining({
        id: mine.id,
        channel: 'telegram',
        chat: '…1234',
        muted: false,
        linkedVia: 'code',
      }),
    ])
    const muted = await call('PATCH', `/chat/links/${mine.id}`, ph.owners['1B'].userId, { muted: true })
    expect(muted.body).toMatchObject({ id: mine.id, muted: true })
    expect(
      (await call('PATCH', `/chat/links/${theirs.id}`, ph.owners['1B'].userId, { muted: true })).status,
    ).toBe(404)
    expect((await call('DELETE', `/chat/links/${theirs.id}`, ph.owners['1B'].userId)).status).toBe(404)
    expect(await findChatLink(services.db, 'whatsapp', '50760004321')).not.toBeNull()
    expect((await call('DELETE', `/chat/links/${mine.id}`, ph.owners['1B'].userId)).body).toEqual({
      deleted: true,
    })
    expect(await findChatLink(services.db, 'telegram', '88001234')).toBeNull()
  })
})

describe('the web chat endpoint', () => {
  it('answers the intents and votes with confirmation', async () => {
    const motionId = await openMotion(services, ph, { title: 'Pintar el lobby' })
    const prompt = await call('POST', '/chat/webchat', ph.holder.userId, { message: 'votar' })
    expect(prompt.status).toBe(200)
    expect(prompt.body.replies[0].text).toContain('2A y 2B')
    const yes = prompt.body.replies[0].choices.find((choice: { label: string }) => choice.label === 'Sí')
    const confirm = await call('POST', '/chat/webchat', ph.holder.userId, { action: yes.id })
    const confirmId = confirm.body.replies[0].choices.find(
      (choice: { label: string }) => choice.label === 'Confirmar',
    ).id
    const accepted = await call('POST', '/chat/webchat', ph.holder.userId, { action: confirmId })
    expect(accepted.body.replies[0].text).toContain('Unidad 2B')
    const queued = await createVoteQueue(services.bus).latest(motionId)
    expect(queued.map((ballot) => [ballot.unitId, ballot.channel]).sort()).toEqual(
      [
        [ph.scenario.unit('2A'), 'webchat'],
        [ph.scenario.unit('2B'), 'webchat'],
      ].sort(),
    )
  })

  it('answers 422 to an empty message', async () => {
    const res = await call('POST', '/chat/webchat', ph.holder.userId, { message: ' ' })
    expect(res.status).toBe(422)
  })

  it('says linking happens in the chat apps', async () => {
    const res = await call('POST', '/chat/webchat', ph.holder.userId, { message: '/desvincular' })
    expect(res.body.replies[0].text).toContain('Telegram o WhatsApp')
  })
})
