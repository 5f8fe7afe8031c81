import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { type BotsApp, createBotsApp } from '../bots/server.ts'
import { type FakeBotApi, startFakeBotApi } from '../bots/telegram/testing.ts'
import { windowKey } from '../bots/whatsapp/inbound.ts'
import { type FakeGraphApi, startFakeGraphApi } from '../bots/whatsapp/testing.ts'
import { updateChatLink } from '../core/chat/links.ts'
import { createChatPh, linkTestChat, openMotion, telegramEnv, whatsappEnv } from '../core/chat/testing.ts'
import { createTestServices, createTestUser, type TestServices } from '../core/services-testing.ts'
import { createTestApp } from '../functions/_lib/testing.ts'

/*
 * "Recordar a quienes no han votado" on the board (issue #13): besides the email, the bots process
 * (watcher and sender running, as in production) messages the linked chats of those present who have
 * not voted — not the absent, not the muted. The functions and bots processes run together on one bus
 * here, as `ops/start.ts` runs them: a test of both lives with what composes them, not in either.
 */

let telegram: FakeBotApi
let graph: FakeGraphApi
let services: TestServices
let bots: BotsApp
let functions: Awaited<ReturnType<typeof createTestApp>>
let nextChat = 640_000

beforeAll(async () => {
  telegram = startFakeBotApi()
  graph = startFakeGraphApi()
  services = await createTestServices({ ...telegramEnv(telegram.url), ...whatsappEnv(graph.url) })
  bots = createBotsApp({ services, notifications: true })
  await bots.start()
  functions = await createTestApp(services)
}, 60_000)
afterAll(async () => {
  await bots.stop()
  await services.close()
  telegram.stop()
  graph.stop()
}, 60_000)

/** Waits (up to 10 s) until `read` returns a non-empty list. */
async function eventually<T>(read: () => T[]): Promise<T[]> {
  for (let i = 0; i < 100; i += 1) {
    const found = read()
    if (found.length > 0) return found
    await Bun.sleep(100)
  }
  return read()
}

describe('the board reminder reaches linked chats', () => {
  it('messages present non-voters on Telegram and WhatsApp, not the absent or the muted', async () => {
    const ph = await createChatPh(services)
    const admin = await createTestUser(services, {
      roles: [{ organizationId: ph.organizationId, role: 'ph_admin' }],
    })
    // The watcher follows the assemblies active when it polls: let it see this one before the reminder.
    await bots.watcher.poll()
    await openMotion(services, ph, { title: 'Pintar la fachada' })
    // The "vote opened" notice goes out before the chats are linked: what they receive is the reminder.
    await bots.watcher.poll()
    await bots.sender.drain()
    const owner = String(++nextChat)
    const absent = String(++nextChat)
    const muted = String(++nextChat)
    const holder = String(50_763_000_000 + nextChat)
    await linkTestChat(services, 'telegram', owner, ph.owners['1B'].userId)
    await linkTestChat(services, 'telegram', absent, ph.owners['3A'].userId)
    await linkTestChat(services, 'whatsapp', holder, ph.holder.userId)
    // The holder wrote to the bot a moment ago: inside WhatsApp's 24-hour window, free text is allowed.
    await services.bus.set(windowKey(holder), String(Date.now()), 60_000)
    const mutedLink = await linkTestChat(services, 'telegram', muted, ph.owners['1A'].userId)
    await updateChatLink(
      services.db,
      { userId: ph.owners['1A'].userId, linkId: mutedLink.id },
      { muted: true },
    )
    const since = {
      owner: telegram.messagesTo(Number(owner)).length,
      holder: graph.messagesTo(holder).length,
    }

    const response = await functions.handle(
      new Request(
        `http://localhost/api/organizations/${ph.organizationId}/assemblies/${ph.assemblyId}/board/remind`,
        {
          method: 'POST',
          headers: { ...admin.headers, 'content-type': 'application/json' },
          body: '{}',
        },
      ),
    )
    expect(response.status).toBe(200)
    // The email went out as before: one per person present for a unit that has not voted (1A, 1B, holder).
    expect((await response.json()).sent).toBe(3)

    const [toOwner] = await eventually(() => telegram.messagesTo(Number(owner)).slice(since.owner))
    expect(toOwner!.text).toContain(
      'la votación «Pintar la fachada» sigue abierta y la unidad 1B todavía no ha votado',
    )
    expect(JSON.stringify(toOwner)).toContain('Votar')
    const [toHolder] = await eventually(() => graph.messagesTo(holder).slice(since.holder))
    expect(JSON.stringify(toHolder)).toContain('la unidad 2A y 2B todavía no ha votado')
    // Give the sender time to have sent anything else it had queued, then check nobody else heard.
    await bots.sender.drain()
    expect(telegram.messagesTo(Number(absent))).toEqual([])
    expect(telegram.messagesTo(Number(muted))).toEqual([])
  })
})
