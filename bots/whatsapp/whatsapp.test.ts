import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createLinkCode } from '../../core/chat/link-codes.ts'
import { findChatLink } from '../../core/chat/links.ts'
import { type ChatPh, createChatPh, linkTestChat, openMotion, whatsappEnv } from '../../core/chat/testing.ts'
import { createTestServices, type TestServices } from '../../core/services-testing.ts'
import { createVoteQueue } from '../../core/votes/queue.ts'
import { type BotsApp, createBotsApp } from '../server.ts'
import type { InboundMessage } from './inbound.ts'
import {
  buttonReply,
  choicesOf,
  deliveryOf,
  type FakeGraphApi,
  listReply,
  signedRequest,
  startFakeGraphApi,
  textMessage,
} from './testing.ts'

const SECRET = 'test-app-secret'
let graph: FakeGraphApi
let services: TestServices
let app: BotsApp
let ph: ChatPh
let nextNumber = 50_761_000_000

beforeAll(async () => {
  graph = startFakeGraphApi()
  services = await createTestServices(whatsappEnv(graph.url))
  app = createBotsApp({ services, notifications: false })
  ph = await createChatPh(services)
}, 60_000)
afterAll(async () => {
  await app.stop()
  await services.close()
  graph.stop()
}, 60_000)

/** Delivers messages as Meta would, waits for the asynchronous answers, returns those sent to `waId`. */
async function deliver(waId: string, ...messages: InboundMessage[]) {
  const before = graph.messagesTo(waId).length
  const response = await app.fetch(signedRequest(SECRET, deliveryOf(messages)))
  expect(response.status).toBe(200)
  await app.whatsapp!.idle()
  return graph.messagesTo(waId).slice(before)
}
const say = (waId: string, text: string) => deliver(waId, textMessage(waId, text))

async function linkedNumber(userId: string): Promise<string> {
  const waId = String(++nextNumber)
  await linkTestChat(services, 'whatsapp', waId, userId)
  return waId
}

describe('the webhook', () => {
  it('answers the subscription handshake with the challenge', async () => {
    const response = await app.fetch(
      new Request(
        'http://localhost/bots/whatsapp?hub.mode=subscribe&hub.verify_token=test-verify-token&hub.challenge=1158201444',
      ),
    )
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('1158201444')
  })

  it('refuses the handshake with a wrong verify token (403)', async () => {
    const response = await app.fetch(
      new Request('http://localhost/bots/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1'),
    )
    expect(response.status).toBe(403)
  })

  it.each([
    ['missing', null, 401],
    [
      'made with another secret',
      'sha256=0000000000000000000000000000000000000000000000000000000000000000',
      403,
    ],
    ['malformed', 'md5=abc', 403],
  ])('refuses a delivery whose signature is %s', async (_name, signature, status) => {
    const waId = String(++nextNumber)
    const response = await app.fetch(
      signedRequest(SECRET, deliveryOf([textMessage(waId, 'ayuda')]), signature),
    )
    expect(response.status).toBe(status)
    await app.whatsapp!.idle()
    expect(graph.messagesTo(waId)).toHaveLength(0)
  })

  it('answers a replayed delivery once (deduplicated on the message id)', async () => {
    const waId = String(++nextNumber)
    const message = textMessage(waId, 'ayuda')
    await deliver(waId, message)
    await deliver(waId, message)
    await Promise.all([deliver(waId, message), deliver(waId, message)])
    expect(graph.messagesTo(waId)).toHaveLength(1)
  })

  it('ignores deliveries for another phone number id', async () => {
    const waId = String(++nextNumber)
    const response = await app.fetch(signedRequest(SECRET, deliveryOf([textMessage(waId, 'ayuda')], '999')))
    expect(response.status).toBe(200)
    await app.whatsapp!.idle()
    expect(graph.messagesTo(waId)).toHaveLength(0)
  })
})

describe('a linked owner voting from WhatsApp', () => {
  let waId: string
  let motionId: string

  beforeAll(async () => {
    waId = await linkedNumber(ph.owners['1B'].userId)
  }, 60_000)

  it('votes with reply buttons, confirms and gets a receipt', async () => {
    motionId = await openMotion(services, ph)
    const [prompt] = await say(waId, 'quiero votar')
    expect(prompt.type).toBe('interactive')
    expect(prompt.interactive.type).toBe('button')
    expect(prompt.interactive.body.text).toContain('Aprobar el presupuesto 2026')
    const options = choicesOf(prompt)
    expect(Object.keys(options)).toEqual(['Sí', 'No', 'Abstención'])
    const [confirm] = await deliver(waId, buttonReply(waId, options.No!, 'No'))
    expect(confirm.interactive.body.text).toContain('¿Confirma su voto «No»')
    expect(await createVoteQueue(services.bus).latest(motionId)).toHaveLength(0)
    const [accepted] = await deliver(waId, buttonReply(waId, choicesOf(confirm).Confirmar!, 'Confirmar'))
    expect(accepted.text.body).toMatch(/Unidad 1B: [0-9A-Z]{5}-[0-9A-Z]{5}/)
    expect(await createVoteQueue(services.bus).latest(motionId)).toEqual([
      expect.objectContaining({ unitId: ph.scenario.unit('1B'), optionKeys: ['no'], channel: 'whatsapp' }),
    ])
  })

  it('offers a list message when a motion has more than three options', async () => {
    const options = ['Azul', 'Verde', 'Gris', 'Blanco'].map((label, index) => ({
      key: `c${index}`,
      label,
      kind: 'choice' as const,
    }))
    const colourMotion = await openMotion(services, ph, { title: 'Color de la fachada', options })
    const [prompt] = await say(waId, 'votar')
    expect(prompt.interactive.type).toBe('list')
    expect(Object.keys(choicesOf(prompt))).toEqual(['Azul', 'Verde', 'Gris', 'Blanco'])
    const [confirm] = await deliver(waId, listReply(waId, choicesOf(prompt).Gris!, 'Gris'))
    await deliver(waId, buttonReply(waId, choicesOf(confirm).Confirmar!, 'Confirmar'))
    expect((await createVoteQueue(services.bus).latest(colourMotion))[0]).toMatchObject({
      optionKeys: ['c2'],
    })
  })
})

describe('an unlinked number', () => {
  it('cannot vote, not even with forged button data', async () => {
    const motionId = await openMotion(services, ph, { title: 'Renovar el ascensor' })
    const waId = String(++nextNumber)
    const [reply] = await say(waId, 'votar')
    expect(reply.text.body).toContain('no está vinculado')
    const owner = await linkedNumber(ph.owners['1A'].userId)
    const [prompt] = await say(owner, 'votar')
    const pick = choicesOf(prompt)['Renovar el ascensor']
    const [options] = pick ? await deliver(owner, listReply(owner, pick)) : [prompt]
    const [confirm] = await deliver(owner, buttonReply(owner, choicesOf(options).Sí!))
    const [refused] = await deliver(waId, buttonReply(waId, choicesOf(confirm).Confirmar!))
    expect(refused.text.body).toContain('no está vinculado')
    expect(await createVoteQueue(services.bus).latest(motionId)).toHaveLength(0)
  })

  it('answers what the platform is', async () => {
    const waId = String(++nextNumber)
    const [reply] = await say(waId, '¿Qué es esto?')
    expect(reply.text.body).toContain('plataforma de asambleas')
  })
})

describe('linking and notices from WhatsApp', () => {
  it('links with "VINCULAR CODE"', async () => {
    const waId = String(++nextNumber)
    const { code } = await createLinkCode(services.db, ph.holder.userId)
    const [reply] = await say(waId, `VINCULAR ${code}`)
    expect(reply.text.body).toContain('quedó vinculado')
    expect(await findChatLink(services.db, 'whatsapp', waId)).toMatchObject({ userId: ph.holder.userId })
  })

  it('links by email and the code mailed to it', async () => {
    const waId = String(++nextNumber)
    await say(waId, ph.owners['3A'].email)
    const mail = services.mailer.recent().find((message) => message.to === ph.owners['3A'].email)
    const code = /(\d{6})/.exec(mail!.text)![1]!
    const [reply] = await say(waId, code)
    expect(reply.text.body).toContain('quedó vinculado')
    expect(await findChatLink(services.db, 'whatsapp', waId)).toMatchObject({
      userId: ph.owners['3A'].userId,
      linkedVia: 'email',
    })
  })

  it('mutes, and unlinks', async () => {
    const waId = await linkedNumber(ph.holder.userId)
    await say(waId, 'silenciar avisos')
    expect((await findChatLink(services.db, 'whatsapp', waId))!.muted).toBe(true)
    await say(waId, 'desvincular')
    expect(await findChatLink(services.db, 'whatsapp', waId)).toBeNull()
  })
})

describe('an election of 12 candidates (more than a list holds)', () => {
  it('pages the list, keeps what is ticked, links to the web ballot, and casts both choices', async () => {
    const ph = await createChatPh(services)
    const candidates = Array.from({ length: 12 }, (_, index) => ({
      key: `c${index + 1}`,
      label: `Candidato ${index + 1}`,
      kind: 'choice' as const,
    }))
    const motionId = await openMotion(services, ph, {
      title: 'Elección de la junta',
      options: candidates,
      choiceMode: 'multiple',
    })
    const waId = await linkedNumber(ph.owners['1A'].userId)
    const rowsOf = (message: Parameters<typeof choicesOf>[0]) => Object.keys(choicesOf(message))
    const withinLimits = (message: Parameters<typeof choicesOf>[0]) => {
      const rows = rowsOf(message)
      expect(rows.length).toBeLessThanOrEqual(10)
      for (const title of rows) expect(title.length).toBeLessThanOrEqual(24)
    }

    const [first] = await say(waId, 'votar')
    expect(first.interactive.type).toBe('list')
    withinLimits(first)
    expect(rowsOf(first)).toEqual([
      ...candidates.slice(0, 7).map((c) => `⬜ ${c.label}`),
      'Más ▶',
      'Confirmar (0)',
    ])
    // The one-tap way out: the web ballot of this assembly.
    expect(first.interactive.body.text).toContain('Opciones 1–7 de 12')
    expect(first.interactive.body.text).toContain(
      `/vote?organization=${ph.organizationId}&assembly=${ph.assemblyId}`,
    )

    const [ticked] = await deliver(waId, listReply(waId, choicesOf(first)['⬜ Candidato 2']!))
    expect(rowsOf(ticked)).toContain('✅ Candidato 2')
    const [second] = await deliver(waId, listReply(waId, choicesOf(ticked)['Más ▶']!))
    withinLimits(second)
    expect(rowsOf(second)).toEqual([
      ...candidates.slice(7).map((c) => `⬜ ${c.label}`),
      '◀ Anteriores',
      'Confirmar (1)',
    ])
    const [both] = await deliver(waId, listReply(waId, choicesOf(second)['⬜ Candidato 11']!))
    expect(both.interactive.body.text).toContain('Marcadas: Candidato 2, Candidato 11')
    const [back] = await deliver(waId, listReply(waId, choicesOf(both)['◀ Anteriores']!))
    expect(rowsOf(back)).toContain('✅ Candidato 2')

    const [confirm] = await deliver(waId, listReply(waId, choicesOf(back)['Confirmar (2)']!))
    expect(confirm.interactive.type).toBe('button')
    const [accepted] = await deliver(waId, buttonReply(waId, choicesOf(confirm).Confirmar!, 'Confirmar'))
    expect(accepted.text.body).toMatch(/Unidad 1A: [0-9A-Z]{5}-[0-9A-Z]{5}/)
    const [queued] = await createVoteQueue(services.bus).latest(motionId)
    expect(queued).toMatchObject({ channel: 'whatsapp', optionKeys: ['c2', 'c11'] })
  })

  it('pages a single-choice motion of 12 options too, one press choosing', async () => {
    const ph = await createChatPh(services)
    const options = Array.from({ length: 12 }, (_, index) => ({
      key: `o${index + 1}`,
      label: `Opción ${index + 1}`,
      kind: 'choice' as const,
    }))
    const motionId = await openMotion(services, ph, { title: 'Empresa de seguridad', options })
    const waId = await linkedNumber(ph.owners['1A'].userId)
    const [first] = await say(waId, 'votar')
    expect(Object.keys(choicesOf(first))).toHaveLength(8)
    const [second] = await deliver(waId, listReply(waId, choicesOf(first)['Más ▶']!))
    expect(Object.keys(choicesOf(second))).toEqual([...options.slice(7).map((o) => o.label), '◀ Anteriores'])
    const [confirm] = await deliver(waId, listReply(waId, choicesOf(second)['Opción 12']!))
    await deliver(waId, buttonReply(waId, choicesOf(confirm).Confirmar!, 'Confirmar'))
    expect((await createVoteQueue(services.bus).latest(motionId))[0]).toMatchObject({ optionKeys: ['o12'] })
  })
})
