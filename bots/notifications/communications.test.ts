import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import { Api } from 'grammy'
import { makeActaFinal } from '../../core/acta/testing.ts'
import { closeAssembly } from '../../core/assemblies/lifecycle.ts'
import { type ChatPh, createChatPh, linkTestChat, telegramEnv, whatsappEnv } from '../../core/chat/testing.ts'
import { sendActa, sendSummary } from '../../core/communications/decisions.ts'
import { getCommunication, recordHandDelivery } from '../../core/communications/report.ts'
import { sendDueSummaries } from '../../core/communications/scheduler.ts'
import { readMessage, type SmtpSink, startSmtpSink } from '../../core/mail/smtp-sink.ts'
import { createMotion } from '../../core/motions/motions.ts'
import { appErrorOf, castAndCommit, createTestVotePath } from '../../core/motions/testing.ts'
import { updateOrganization } from '../../core/ph/organizations.ts'
import { createTestServices, type TestServices } from '../../core/services-testing.ts'
import { communications, organizations } from '../../db/schema/index.ts'
import { withPlatformScope } from '../../db/tenant.ts'
import { createTelegramSender } from '../telegram/sender.ts'
import { startFakeBotApi } from '../telegram/testing.ts'
import { createGraphClient } from '../whatsapp/client.ts'
import { createWhatsAppSender } from '../whatsapp/sender.ts'
import { startFakeGraphApi } from '../whatsapp/testing.ts'
import { createNotificationSender } from './sender.ts'

/*
 * What each recipient of a communication actually receives, through a real SMTP conversation (the
 * sink), the fake Bot API and the fake Graph API, and the per-unit record of it: the summary of the
 * decisions (art. 71) after the close, the acta with its PDF. The fixture PH: units 1A, 1B, 3A have
 * owners with an email and an account (1A linked on Telegram, 1B on WhatsApp); 2A and 2B have owners
 * with no contact at all (their proxy holder is not who the summary is for).
 */

let sink: SmtpSink
const telegramApi = startFakeBotApi()
const graph = startFakeGraphApi()
let services: TestServices
let nextChat = 960_000

beforeAll(async () => {
  sink = startSmtpSink()
  services = await createTestServices({
    SMTP_URL: sink.url,
    ...telegramEnv(telegramApi.url),
    ...whatsappEnv(graph.url, { WHATSAPP_TEMPLATE_COMMUNICATION: 'comunicado_asamblea' }),
  })
}, 60_000)
afterAll(async () => {
  await services.close()
  services.mailer.close()
  sink.stop()
  telegramApi.stop()
  graph.stop()
})

/** Drains the chat outbox through the real Telegram and WhatsApp senders (against the fakes). */
async function drainChats(): Promise<void> {
  const whatsapp = services.config.bots.whatsapp!
  const telegram = services.config.bots.telegram!
  const sender = createNotificationSender({
    db: services.db,
    bus: services.bus,
    log: services.log,
    channels: {
      telegram: {
        sender: createTelegramSender(new Api(telegram.token, { apiRoot: telegramApi.url })),
        limits: { perSecond: 1000, perChatIntervalMs: 0 },
      },
      whatsapp: {
        sender: createWhatsAppSender({
          bus: services.bus,
          config: whatsapp,
          client: createGraphClient(whatsapp),
        }),
        limits: { perSecond: 1000, perChatIntervalMs: 0 },
      },
    },
  })
  await sender.drain()
}

/** A PH whose assembly voted a named and a secret motion and closed; 1A on Telegram, 1B on WhatsApp. */
async function closedPh(): Promise<ChatPh & { telegramChat: string; whatsappChat: string }> {
  const ph = await createChatPh(services)
  const telegramChat = String(++nextChat)
  const whatsappChat = `5076${++nextChat}`
  await linkTestChat(services, 'telegram', telegramChat, ph.owners['1A'].userId)
  await linkTestChat(services, 'whatsapp', whatsappChat, ph.owners['1B'].userId)
  const { organizationId, assemblyId } = ph
  const actor = { userId: null }
  const motion = (title: string, secret: boolean) =>
    createMotion(services.db, { organizationId, assemblyId, actor, title, secret, requiresQuorum: false })
  const named = await motion('Aprobar el presupuesto 2026', false)
  const secret = await motion('Elegir la junta directiva', true)
  for (const { id } of [named, secret]) await services.votes.open({ organizationId, motionId: id, actor })
  const votePath = createTestVotePath(services.db)
  const vote = (motionId: string, person: string, unit: string, key: string) =>
    castAndCommit(votePath, {
      organizationId,
      motionId,
      actor: { userId: null, personId: person },
      channel: 'web',
      ballots: [{ unitId: ph.scenario.unit(unit), optionKeys: [key] }],
    })
  await vote(named.id, ph.owners['1A'].personId, '1A', 'yes')
  await vote(named.id, ph.owners['1B'].personId, '1B', 'no')
  await vote(named.id, ph.holder.personId, '2A', 'yes')
  await vote(secret.id, ph.owners['1A'].personId, '1A', 'yes')
  await vote(secret.id, ph.owners['1B'].personId, '1B', 'yes')
  await votePath.close()
  for (const { id } of [named, secret]) await services.votes.close({ organizationId, motionId: id, actor })
  await closeAssembly(services.db, { organizationId, assemblyId, actor })
  return { ...ph, telegramChat, whatsappChat }
}

const phNameOf = async (organizationId: string) =>
  (
    await withPlatformScope(services.db, (tx) =>
      tx.select({ name: organizations.name }).from(organizations).where(eq(organizations.id, organizationId)),
    )
  )[0]!.name

const mailTo = (email: string) =>
  sink.messages
    .filter((message) => message.to.includes(email))
    .map((message) => ({ ...readMessage(message.raw), raw: message.raw }))

describe('the summary of the decisions (art. 71)', () => {
  it('goes out by itself after the close to every unit: email, Telegram, WhatsApp, and no-contact units listed', async () => {
    const ph = await closedPh()
    const phName = await phNameOf(ph.organizationId)
    const publicUrl = 'https://asambleas.example'
    // The scheduler finds it due at once (default delay 0) and claims it once, whatever runs it again.
    const deps = { db: services.db, mailer: services.mailer, bus: services.bus, publicUrl }
    const now = new Date(Date.now() + 1000)
    const [first, second] = await Promise.all([sendDueSummaries(deps, now), sendDueSummaries(deps, now)])
    expect(first + second).toBeGreaterThanOrEqual(1)
    await drainChats()

    const [toAna] = mailTo(ph.owners['1A'].email)
    expect(toAna!.subject).toContain('Resumen de las decisiones')
    expect(toAna!.subject).toContain(phName)
    expect(toAna!.text).toContain('Aprobar el presupuesto 2026: Aprobada')
    // Named: coefficients with two decimals (1A 30 % + 2A 20 % yes; 1B 25 % no).
    expect(toAna!.text).toContain('Sí: 2 unidades, 50.00 %')
    expect(toAna!.text).toContain('No: 1 unidad, 25.00 %')
    // Secret with fewer than three voters per option: no coefficient at all.
    expect(toAna!.text).toContain('Elegir la junta directiva: Aprobada')
    expect(toAna!.text).toContain('Sí: 2 unidades (coeficiente reservado)')
    expect(toAna!.text).not.toContain('55.00')
    expect(toAna!.html).toContain(phName)
    expect(toAna!.text).toContain(`${publicUrl}/?organization=${ph.organizationId}`)
    expect(mailTo(ph.owners['1B'].email)).toHaveLength(1)
    expect(mailTo(ph.owners['3A'].email)).toHaveLength(1)

    const [telegram] = telegramApi.messagesTo(Number(ph.telegramChat))
    expect(telegram.text).toContain(phName)
    expect(telegram.text).toContain('Aprobar el presupuesto 2026: Aprobada')
    // Outside WhatsApp's 24-hour window: the approved template with the PH, the assembly and the subject.
    const [whatsapp] = graph.messagesTo(ph.whatsappChat)
    expect(whatsapp.template.name).toBe('comunicado_asamblea')
    expect(JSON.stringify(whatsapp.template.components)).toContain(phName)

    const list = await withPlatformScope(services.db, (tx) =>
      tx
        .select()
        .from(communications)
        .where(and(eq(communications.assemblyId, ph.assemblyId), eq(communications.kind, 'summary'))),
    )
    expect(list).toHaveLength(1)
    const report = await getCommunication(services.db, {
      organizationId: ph.organizationId,
      assemblyId: ph.assemblyId,
      communicationId: list[0]!.id,
    })
    const rows = Object.fromEntries(
      report.units.map((unit) => [
        unit.unitNumber,
        [unit.state, ...unit.deliveries.map((d) => `${d.channel}:${d.status}`).sort()],
      ]),
    )
    expect(rows).toEqual({
      '1A': ['reached', 'email:accepted', 'telegram:accepted'],
      '1B': ['reached', 'email:accepted', 'whatsapp:accepted'],
      '2A': ['no_contact', 'none:no_contact'],
      '2B': ['no_contact', 'none:no_contact'],
      '3A': ['reached', 'email:accepted'],
    })

    // The administration delivers 2A's on paper and records it; 1A cannot be "delivered" again.
    const scope = {
      organizationId: ph.organizationId,
      assemblyId: ph.assemblyId,
      communicationId: list[0]!.id,
    }
    const paper = await recordHandDelivery(services.db, {
      ...scope,
      unitId: ph.scenario.unit('2A'),
      note: 'Entregado en conserjería',
      actor: { userId: null },
    })
    expect(paper.state).toBe('reached')
    expect(paper.deliveries.map((d) => [d.channel, d.status, d.note])).toContainEqual([
      'paper',
      'delivered_by_hand',
      'Entregado en conserjería',
    ])
    const again = await appErrorOf(() =>
      recordHandDelivery(services.db, { ...scope, unitId: ph.scenario.unit('1A'), actor: { userId: null } }),
    )
    expect(again.code).toBe('already_reached')
  })

  it('records a refused email as failed with the relay’s error, and can be sent again by the administration', async () => {
    const ph = await closedPh()
    sink.refuseNext(50, 550)
    const deps = { db: services.db, mailer: services.mailer, bus: services.bus }
    const input = {
      organizationId: ph.organizationId,
      assemblyId: ph.assemblyId,
      publicUrl: 'https://x.example',
    }
    const refused = await sendSummary(deps, { ...input, trigger: 'admin' })
    await refused!.done
    sink.refuseNext(0)
    const failed = await getCommunication(services.db, {
      ...input,
      communicationId: refused!.communication.id,
    })
    const unit3a = failed.units.find((unit) => unit.unitNumber === '3A')!
    expect(unit3a.state).toBe('failed')
    expect(unit3a.deliveries[0]!.error).toContain('550')

    const before = mailTo(ph.owners['3A'].email).length
    const resent = await sendSummary(deps, { ...input, trigger: 'admin' })
    await resent!.done
    expect(mailTo(ph.owners['3A'].email)).toHaveLength(before + 1)
    const ok = await getCommunication(services.db, { ...input, communicationId: resent!.communication.id })
    expect(ok.units.find((unit) => unit.unitNumber === '3A')!.state).toBe('reached')
  })

  it('waits the PH’s delay after the close before going out by itself', async () => {
    const ph = await closedPh()
    await updateOrganization(services.db, {
      organizationId: ph.organizationId,
      changes: { summaryDelayHours: 24 },
      actor: { userId: null },
    })
    const deps = {
      db: services.db,
      mailer: services.mailer,
      bus: services.bus,
      publicUrl: 'https://x.example',
    }
    const automatic = () =>
      withPlatformScope(services.db, (tx) =>
        tx
          .select()
          .from(communications)
          .where(and(eq(communications.assemblyId, ph.assemblyId), eq(communications.trigger, 'automatic'))),
      )
    await sendDueSummaries(deps, new Date(Date.now() + 23 * 3_600_000))
    expect(await automatic()).toEqual([])
    await sendDueSummaries(deps, new Date(Date.now() + 25 * 3_600_000))
    expect((await automatic()).map((row) => row.kind)).toEqual(['summary'])
  })

  it('is refused before the close, as is the acta', async () => {
    const ph = await createChatPh(services)
    const deps = { db: services.db, mailer: services.mailer, bus: services.bus }
    const input = {
      organizationId: ph.organizationId,
      assemblyId: ph.assemblyId,
      publicUrl: 'https://x.example',
    }
    expect((await appErrorOf(() => sendSummary(deps, { ...input, trigger: 'admin' }))).code).toBe(
      'assembly_not_closed',
    )
    expect((await appErrorOf(() => sendActa(deps, { ...input, trigger: 'admin' }))).code).toBe(
      'acta_not_ready',
    )
  })
})

describe('the acta sent to the owners', () => {
  it('emails each owner a link and the PDF, and sends linked chats the link', async () => {
    const ph = await closedPh()
    const phName = await phNameOf(ph.organizationId)
    const deps = { db: services.db, mailer: services.mailer, bus: services.bus }
    const scope = { organizationId: ph.organizationId, assemblyId: ph.assemblyId }
    // Closed is not enough: the acta goes out once reviewed and signed (final).
    const early = await appErrorOf(() =>
      sendActa(deps, { ...scope, trigger: 'admin', publicUrl: 'https://x.example' }),
    )
    expect(early.code).toBe('acta_not_ready')
    await makeActaFinal(services.db, scope)
    const started = await sendActa(deps, {
      organizationId: ph.organizationId,
      assemblyId: ph.assemblyId,
      trigger: 'admin',
      publicUrl: 'https://asambleas.example',
    })
    await started!.done
    await drainChats()
    const [toBeto] = mailTo(ph.owners['1B'].email).filter((m) => m.subject.startsWith('Acta'))
    expect(toBeto!.subject).toContain(phName)
    expect(toBeto!.text).toContain(`https://asambleas.example/?organization=${ph.organizationId}`)
    expect(toBeto!.raw).toMatch(/Content-Type: application\/pdf; name=acta-\d+\.pdf/)
    const pdf = toBeto!.raw.split(/Content-Type: application\/pdf/)[1]!
    const base64 = pdf.slice(pdf.indexOf('\r\n\r\n') + 4).split('\r\n--')[0]!
    expect(Buffer.from(base64.replace(/\s+/g, ''), 'base64').subarray(0, 5).toString()).toBe('%PDF-')
    const telegram = telegramApi.messagesTo(Number(ph.telegramChat)).at(-1)
    expect(telegram.text).toContain('el acta de la asamblea')
    expect(telegram.text).toContain('https://asambleas.example/?organization=')
    const report = await getCommunication(services.db, {
      organizationId: ph.organizationId,
      assemblyId: ph.assemblyId,
      communicationId: started!.communication.id,
    })
    expect(report.units.filter((unit) => unit.state === 'reached').map((unit) => unit.unitNumber)).toEqual([
      '1A',
      '1B',
      '3A',
    ])
  })
})
