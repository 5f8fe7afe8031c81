import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import type { Bot } from 'grammy'
import { createLinkCode } from '../../core/chat/link-codes.ts'
import { findChatLink, unlinkChat } from '../../core/chat/links.ts'
import { type ChatPh, createChatPh, linkTestChat, openMotion, telegramEnv } from '../../core/chat/testing.ts'
import { createTestServices, type TestServices } from '../../core/services-testing.ts'
import { step } from '../../core/story-testing.ts'
import { createVoteQueue } from '../../core/votes/queue.ts'
import { chatLinks, votes } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { createTelegramBot } from './bot.ts'
import type { BotContext } from './context.ts'
import { buttonsOf, callbackUpdate, type FakeBotApi, startFakeBotApi, textUpdate } from './testing.ts'

let api: FakeBotApi
let services: TestServices
let bot: Bot<BotContext>
let ph: ChatPh
let _motionId: string
let nextChat = 710_000

beforeAll(async () => {
  api = startFakeBotApi()
  services = await createTestServices(telegramEnv(api.url))
  bot = createTelegramBot(services, services.config.bots.telegram!)
  ph = await createChatPh(services)
  _motionId = await openMotion(services, ph)
}, 60_000)
afterAll(async () => {
  await services.close()
  api.stop()
}, 60_000)

/** Sends an update and returns what the bot sent to that chat meanwhile. */
async function send(chatId: number, update: Parameters<typeof bot.handleUpdate>[0]) {
  const before = api.messagesTo(chatId).length
  await bot.handleUpdate(update)
  return api.messagesTo(chatId).slice(before)
}
const say = (chatId: number, text: string) => send(chatId, textUpdate(chatId, text))
const press = (chatId: number, data: string) => send(chatId, callbackUpdate(chatId, data))

async function linkedChat(userId: string): Promise<number> {
  const chatId = ++nextChat
  await linkTestChat(services, 'telegram', String(chatId), userId)
  return chatId
}

it('a linked owner voting from Telegram', async () => {
  let chatId: number
  let confirmData: string
  let receiptCode: string
  // A PH of its own with a single open motion: the other tests open motions in the file's PH.
  let ph: ChatPh
  let motionId: string

  await step('setup', async () => {
    ph = await createChatPh(services)
    motionId = await openMotion(services, ph)
    chatId = await linkedChat(ph.owners['1A'].userId)
  })

  await step('sees the open motion with one button per option', async () => {
    const [prompt] = await say(chatId, '/votar')
    expect(prompt.text).toContain('Aprobar el presupuesto 2026')
    expect(prompt.text).toContain('1A')
    expect(Object.keys(buttonsOf(prompt))).toEqual(['Sí', 'No', 'Abstención'])
  })

  await step('asks for confirmation when an option is pressed, and casts nothing yet', async () => {
    const [prompt] = await say(chatId, '/votar')
    const before = api.calls().filter((call) => call.method === 'answerCallbackQuery').length
    const [confirm] = await press(chatId, buttonsOf(prompt).Sí!)
    expect(api.calls().filter((call) => call.method === 'answerCallbackQuery')).toHaveLength(before + 1)
    expect(confirm.text).toContain('¿Confirma su voto «Sí»')
    expect(Object.keys(buttonsOf(confirm))).toEqual(['Confirmar', 'Cancelar'])
    confirmData = buttonsOf(confirm).Confirmar!
    expect(await createVoteQueue(services.bus).latest(motionId)).toHaveLength(0)
  })

  await step('casts through the vote service on confirmation and replies with the receipt', async () => {
    const [accepted] = await press(chatId, confirmData)
    const code = /Unidad 1A: ([0-9A-Z]{5}-[0-9A-Z]{5})/.exec(accepted.text)
    expect(code).not.toBeNull()
    receiptCode = code![1]!
    const queued = await createVoteQueue(services.bus).latest(motionId)
    expect(queued).toEqual([
      expect.objectContaining({ unitId: ph.scenario.unit('1A'), optionKeys: ['yes'], channel: 'telegram' }),
    ])
  })

  await step('refuses to use the same confirmation twice', async () => {
    const [again] = await press(chatId, confirmData)
    expect(again.text).toContain('ya no es válida')
    expect(await createVoteQueue(services.bus).latest(motionId)).toHaveLength(1)
  })

  await step('reports the receipt as pending before the writer commits it', async () => {
    const [reply] = await say(chatId, `/recibo ${receiptCode}`)
    expect(reply.text).toContain('fue aceptado')
  })

  await step('has the vote committed with its receipt once the motion closes', async () => {
    await services.votes.close({ organizationId: ph.organizationId, motionId, actor: { userId: null } })
    const [row] = await withTenant(services.db, ph.organizationId, (tx) =>
      tx
        .select()
        .from(votes)
        .where(and(eq(votes.motionId, motionId), eq(votes.unitId, ph.scenario.unit('1A')))),
    )
    expect(row).toMatchObject({ channel: 'telegram', optionKeys: ['yes'] })
    const [reply] = await say(chatId, `/recibo ${receiptCode}`)
    expect(reply.text).toContain('contado en el resultado final')
  })
}, 120_000)

describe('an unlinked chat', () => {
  it('cannot vote, and is told how to link', async () => {
    const chatId = ++nextChat
    const [reply] = await say(chatId, '/votar')
    expect(reply.text).toContain('no está vinculado')
    expect(buttonsOf(reply)).toEqual({})
  })

  it('cannot use a confirmation made in another chat', async () => {
    const motion = await openMotion(services, ph, { title: 'Pintar la fachada' })
    const owner = await linkedChat(ph.owners['1B'].userId)
    const [prompt] = await say(owner, '/votar')
    const pick = buttonsOf(prompt)['Pintar la fachada']
    const [options] = pick ? await press(owner, pick) : [prompt]
    const [confirm] = await press(owner, buttonsOf(options!).Sí!)
    const stranger = ++nextChat
    const [reply] = await press(stranger, buttonsOf(confirm!).Confirmar!)
    expect(reply.text).toContain('no está vinculado')
    expect(await createVoteQueue(services.bus).latest(motion)).toHaveLength(0)
  })

  it('answers the public questions', async () => {
    const chatId = ++nextChat
    const [reply] = await say(chatId, '¿Cómo voto?')
    expect(reply.text).toContain('Cómo votar')
  })
})

describe('every press is authorized again', () => {
  it('refuses a confirmation after the chat was unlinked from the web', async () => {
    const motion = await openMotion(services, ph, { title: 'Cambiar el portón' })
    const chatId = await linkedChat(ph.owners['1B'].userId)
    const [prompt] = await say(chatId, '/votar')
    const motionButton = buttonsOf(prompt)['Cambiar el portón']
    const [options] = motionButton ? await press(chatId, motionButton) : [prompt]
    const [confirm] = await press(chatId, buttonsOf(options!).No!)
    const link = await findChatLink(services.db, 'telegram', String(chatId))
    await unlinkChat(services.db, { userId: ph.owners['1B'].userId, linkId: link!.id })
    const [reply] = await press(chatId, buttonsOf(confirm!).Confirmar!)
    expect(reply.text).toContain('no está vinculado')
    expect(await createVoteQueue(services.bus).latest(motion)).toHaveLength(0)
  })

  it('tells an absent owner to check in instead of offering options', async () => {
    await openMotion(services, ph, { title: 'Reparar el techo' })
    const chatId = await linkedChat(ph.owners['3A'].userId)
    const [prompt] = await say(chatId, '/votar')
    expect(prompt.text).toContain('registre primero la asistencia de 3A')
    expect(Object.keys(buttonsOf(prompt))).toEqual(['Registrar asistencia'])
  })
})

describe('linking', () => {
  it('links with the code of the t.me deep link (/start CODE)', async () => {
    const chatId = ++nextChat
    const { compact } = await createLinkCode(services.db, ph.holder.userId)
    const [reply] = await say(chatId, `/start ${compact}`)
    expect(reply.text).toContain('quedó vinculado')
    const link = await findChatLink(services.db, 'telegram', String(chatId))
    expect(link).toMatchObject({
      userId: ph.holder.userId,
      externalUserId: String(chatId),
      linkedVia: 'code',
    })
  })

  it('refuses a used code', async () => {
    const { code } = await createLinkCode(services.db, ph.holder.userId)
    await say(++nextChat, `/vincular ${code}`)
    const chatId = ++nextChat
    const [reply] = await say(chatId, `/vincular ${code}`)
    expect(reply.text).toContain('no es válido')
    expect(await findChatLink(services.db, 'telegram', String(chatId))).toBeNull()
  })

  it('links by proving the email with a code sent to it', async () => {
    const chatId = ++nextChat
    const [sent] = await say(chatId, `/email ${ph.owners['1B'].email}`)
    expect(sent.text).toContain('le enviamos un código')
    const mail = services.mailer.recent().find((message) => message.to === ph.owners['1B'].email)
    const code = /(\d{6})/.exec(mail!.text)![1]!
    const [wrong] = await say(chatId, code === '000000' ? '111111' : '000000')
    expect(wrong.text).toContain('no es correcto')
    const [linked] = await say(chatId, code)
    expect(linked.text).toContain('quedó vinculado')
    const link = await findChatLink(services.db, 'telegram', String(chatId))
    expect(link).toMatchObject({ userId: ph.owners['1B'].userId, linkedVia: 'email' })
  })

  it('unlinks from the chat', async () => {
    const chatId = await linkedChat(ph.holder.userId)
    const [reply] = await say(chatId, '/desvincular')
    expect(reply.text).toContain('ya no está vinculado')
    expect(await findChatLink(services.db, 'telegram', String(chatId))).toBeNull()
  })

  it('mutes and unmutes notifications', async () => {
    const chatId = await linkedChat(ph.holder.userId)
    await say(chatId, '/silenciar')
    const [muted] = await services.db
      .select()
      .from(chatLinks)
      .where(eq(chatLinks.externalChatId, String(chatId)))
    expect(muted!.muted).toBe(true)
    await say(chatId, '/activar')
    expect((await findChatLink(services.db, 'telegram', String(chatId)))!.muted).toBe(false)
  })
})

describe('questions', () => {
  it('lists the proxies a holder holds', async () => {
    const chatId = await linkedChat(ph.holder.userId)
    const [reply] = await say(chatId, '/poderes')
    expect(reply.text).toContain('usted representa la unidad 2A')
    expect(reply.text).toContain('usted representa la unidad 2B')
  })

  it('answers the quorum now in free Spanish text', async () => {
    const chatId = await linkedChat(ph.owners['1A'].userId)
    const [reply] = await say(chatId, '¿hay quórum?')
    expect(reply.text).toContain('90.00 % del coeficiente presente (4 de 5 unidades). Hay quórum.')
  })

  it('lists the assemblies, in English when asked', async () => {
    const chatId = await linkedChat(ph.owners['1A'].userId)
    await say(chatId, '/idioma en')
    const [reply] = await say(chatId, '/asambleas')
    expect(reply.text).toContain('“Asamblea de prueba” — in session')
  })

  it('answers group chats only with a pointer to the private chat', async () => {
    const [reply] = await send(-1, textUpdate(1, '/votar', { chatType: 'group' }))
    expect(reply.text).toContain('privado')
  })
})

it('a linked owner ticks 2 of 4 candidates in a 2-seat election from Telegram, never a third', async () => {
  const ph = await createChatPh(services)
  const candidates = ['Ana Pérez', 'Luis Gómez', 'Marta Ruiz', 'Raúl Díaz'].map((label, index) => ({
    key: `c${index + 1}`,
    label,
    kind: 'choice' as const,
  }))
  const motionId = await openMotion(services, ph, {
    title: 'Elección de la junta directiva',
    options: candidates,
    seats: 2,
  })
  const chatId = await linkedChat(ph.owners['1A'].userId)
  /** The ballot as last drawn: a new message or the pressed one edited in place. */
  const edited = () =>
    api
      .calls()
      .filter((call) => call.method === 'editMessageText' && Number(call.payload.chat_id) === chatId)
      .map((call) => call.payload as Parameters<typeof buttonsOf>[0] & { text: string })
      .at(-1)!

  const [ballot] = await say(chatId, '/votar')
  expect(ballot.text).toContain('Marque hasta 2 opciones')
  expect(Object.keys(buttonsOf(ballot))).toEqual([
    '⬜ Ana Pérez',
    '⬜ Luis Gómez',
    '⬜ Marta Ruiz',
    '⬜ Raúl Díaz',
    'Confirmar (0)',
  ])

  // Ticking redraws the same message with check marks; no new message per press.
  expect(await press(chatId, buttonsOf(ballot)['⬜ Luis Gómez']!)).toEqual([])
  expect(await press(chatId, buttonsOf(edited())['⬜ Raúl Díaz']!)).toEqual([])
  // A third candidate in a 2-seat election is refused with a word; the ballot stays at two.
  const [refused] = await press(chatId, buttonsOf(edited())['⬜ Ana Pérez']!)
  expect(refused?.text).toContain('Puede marcar hasta 2 opciones')
  const ticked = edited()
  expect(Object.keys(buttonsOf(ticked))).toContain('⬜ Ana Pérez')
  expect(ticked.text).toContain('Marcadas: Luis Gómez, Raúl Díaz')
  expect(Object.keys(buttonsOf(ticked))).toContain('Confirmar (2)')

  const [confirm] = await press(chatId, buttonsOf(ticked)['Confirmar (2)']!)
  expect(confirm.text).toContain('«Luis Gómez, Raúl Díaz»')
  expect(await createVoteQueue(services.bus).latest(motionId)).toHaveLength(0)
  const [accepted] = await press(chatId, buttonsOf(confirm).Confirmar!)
  expect(accepted.text).toMatch(/Unidad 1A: [0-9A-Z]{5}-[0-9A-Z]{5}/)

  await services.votes.close({ organizationId: ph.organizationId, motionId, actor: { userId: null } })
  const [row] = await withTenant(services.db, ph.organizationId, (tx) =>
    tx
      .select()
      .from(votes)
      .where(and(eq(votes.motionId, motionId), eq(votes.unitId, ph.scenario.unit('1A')))),
  )
  expect(row).toMatchObject({ channel: 'telegram' })
  expect([...row!.optionKeys].sort()).toEqual(['c2', 'c4'])
}, 120_000)
