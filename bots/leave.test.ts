import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { Bot } from 'grammy'
import { checkOut, listAttendance } from '../core/assemblies/attendance.ts'
import { type ChatPh, createChatPh, linkTestChat, telegramEnv, whatsappEnv } from '../core/chat/testing.ts'
import { createTestServices, type TestServices } from '../core/services-testing.ts'
import { type BotsApp, createBotsApp } from './server.ts'
import { createTelegramBot } from './telegram/bot.ts'
import type { BotContext } from './telegram/context.ts'
import {
  buttonsOf,
  callbackUpdate,
  type FakeBotApi,
  startFakeBotApi,
  textUpdate,
} from './telegram/testing.ts'
import type { InboundMessage } from './whatsapp/inbound.ts'
import {
  buttonReply,
  choicesOf,
  deliveryOf,
  type FakeGraphApi,
  signedRequest,
  startFakeGraphApi,
  textMessage,
} from './whatsapp/testing.ts'

/*
 * Leaving the meeting from a chat (issue #13): the warning of what it does to the quorum, one confirm
 * button, then the same self check-out as the web; the attendance shows the departure.
 */

let telegram: FakeBotApi
let graph: FakeGraphApi
let services: TestServices
let bot: Bot<BotContext>
let app: BotsApp
let nextChat = 820_000

beforeAll(async () => {
  telegram = startFakeBotApi()
  graph = startFakeGraphApi()
  services = await createTestServices({ ...telegramEnv(telegram.url), ...whatsappEnv(graph.url) })
  bot = createTelegramBot(services, services.config.bots.telegram!)
  app = createBotsApp({ services, notifications: false })
}, 60_000)
afterAll(async () => {
  await app.stop()
  await services.close()
  telegram.stop()
  graph.stop()
}, 60_000)

/** Units still present for the person, and whether their attendance rows carry a departure time. */
async function attendanceOf(ph: ChatPh, personId: string) {
  const rows = await listAttendance(services.db, {
    organizationId: ph.organizationId,
    assemblyId: ph.assemblyId,
  })
  const mine = rows.filter((row) => row.personId === personId)
  return {
    present: mine.filter((row) => row.checkedOutAt === null).map((row) => row.unitNumber),
    left: mine.filter((row) => row.checkedOutAt !== null).map((row) => row.unitNumber),
  }
}

describe('leaving from Telegram', () => {
  const send = async (chatId: number, update: Parameters<typeof bot.handleUpdate>[0]) => {
    const before = telegram.messagesTo(chatId).length
    await bot.handleUpdate(update)
    return telegram.messagesTo(chatId).slice(before)
  }

  it('warns with the quorum now, and the confirm button checks the owner out', async () => {
    const ph = await createChatPh(services)
    const chatId = ++nextChat
    await linkTestChat(services, 'telegram', String(chatId), ph.owners['1A'].userId)
    const [warning] = await send(chatId, textUpdate(chatId, '/salir'))
    expect(warning.text).toContain('Va a registrar su salida')
    expect(warning.text).toContain('unidad 1A')
    expect(warning.text).toContain('90 % del coeficiente presente')
    expect(warning.text).toContain('Si se pierde el quórum')
    expect(Object.keys(buttonsOf(warning))).toEqual(['Registrar mi salida'])
    // The warning alone changes nothing.
    expect((await attendanceOf(ph, ph.owners['1A'].personId)).present).toEqual(['1A'])

    const [done] = await send(chatId, callbackUpdate(chatId, buttonsOf(warning)['Registrar mi salida']!))
    expect(done.text).toMatch(
      /^Salida registrada a las .+ \(unidad 1A\); queda en el acta\. La asamblea mantiene el quórum\./,
    )
    expect(await attendanceOf(ph, ph.owners['1A'].personId)).toEqual({ present: [], left: ['1A'] })

    // Pressing the old button again: nothing left to leave.
    const [again] = await send(chatId, callbackUpdate(chatId, buttonsOf(warning)['Registrar mi salida']!))
    expect(again.text).toContain('No figura como presente')
  })

  it('tells an owner who is not present that there is nothing to leave', async () => {
    const ph = await createChatPh(services)
    const chatId = ++nextChat
    await linkTestChat(services, 'telegram', String(chatId), ph.owners['3A'].userId)
    const [reply] = await send(chatId, textUpdate(chatId, 'quiero salir de la asamblea'))
    expect(reply.text).toContain('No figura como presente')
    expect(buttonsOf(reply)).toEqual({})
  })
})

describe('leaving from WhatsApp', () => {
  const deliver = async (waId: string, ...messages: InboundMessage[]) => {
    const before = graph.messagesTo(waId).length
    const response = await app.fetch(signedRequest('test-app-secret', deliveryOf(messages)))
    expect(response.status).toBe(200)
    await app.whatsapp!.idle()
    return graph.messagesTo(waId).slice(before)
  }

  it('a proxy holder leaves for both units and is told the quorum is lost', async () => {
    const ph = await createChatPh(services)
    // 1A went home earlier: without the holder's 35 % only 1B's 25 % stays.
    await checkOut(services.db, {
      organizationId: ph.organizationId,
      assemblyId: ph.assemblyId,
      personId: ph.owners['1A'].personId,
      actor: { userId: null },
    })
    const waId = String(50_762_000_000 + ++nextChat)
    await linkTestChat(services, 'whatsapp', waId, ph.holder.userId)
    const [warning] = await deliver(waId, textMessage(waId, 'salir'))
    expect(JSON.stringify(warning)).toContain('unidad 2A y 2B')
    const id = choicesOf(warning)['Registrar mi salida']
    expect(id).toBeDefined()
    const [done] = await deliver(waId, buttonReply(waId, id!))
    expect(JSON.stringify(done)).toContain('la asamblea ya no tiene quórum')
    expect(await attendanceOf(ph, ph.holder.personId)).toEqual({ present: [], left: ['2A', '2B'] })
  })
})
