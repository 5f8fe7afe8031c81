import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import { Api } from 'grammy'
import { createChatPh, linkTestChat, telegramEnv } from '../../core/chat/testing.ts'
import { getCommunication, listCommunications } from '../../core/communications/report.ts'
import { sendNotice } from '../../core/mail/notice.ts'
import { sendDueReminders } from '../../core/mail/reminders.ts'
import { readMessage, type SmtpSink, startSmtpSink } from '../../core/mail/smtp-sink.ts'
import { setAssemblyStatus } from '../../core/motions/testing.ts'
import { createTestServices, createTestUser, type TestServices } from '../../core/services-testing.ts'
import { noticeReminders, people } from '../../db/schema/index.ts'
import { withPlatformScope } from '../../db/tenant.ts'
import { createTelegramSender } from '../telegram/sender.ts'
import { startFakeBotApi } from '../telegram/testing.ts'
import { createNotificationSender } from './sender.ts'

/*
 * The convocatoria and its reminders reach linked chats as well as email, recorded unit by unit; a
 * reminder skips an owner whose every unit already has an active proxy, on every channel. The fixture:
 * 1A's owner on Telegram; 2A and 2B held by one proxy holder (email only); 2A's owner on Telegram too.
 */

let sink: SmtpSink
const telegramApi = startFakeBotApi()
let services: TestServices
let nextChat = 970_000

beforeAll(async () => {
  sink = startSmtpSink()
  services = await createTestServices({ SMTP_URL: sink.url, ...telegramEnv(telegramApi.url) })
}, 60_000)
afterAll(async () => {
  await services.close()
  services.mailer.close()
  sink.stop()
  telegramApi.stop()
})

async function drainChats(): Promise<void> {
  const telegram = services.config.bots.telegram!
  await createNotificationSender({
    db: services.db,
    bus: services.bus,
    log: services.log,
    channels: {
      telegram: {
        sender: createTelegramSender(new Api(telegram.token, { apiRoot: telegramApi.url })),
        limits: { perSecond: 1000, perChatIntervalMs: 0 },
      },
    },
  }).drain()
}

describe('the convocatoria and its reminders on linked chats', () => {
  it('sends the notice to owners’ and holders’ chats and emails; reminders skip owners fully represented', async () => {
    const ph = await createChatPh(services)
    const { organizationId, assemblyId } = ph
    await withPlatformScope(services.db, (tx) => setAssemblyStatus(tx, ph.scenario, 'convened'))
    const owner1a = String(++nextChat)
    const owner2a = String(++nextChat)
    await linkTestChat(services, 'telegram', owner1a, ph.owners['1A'].userId)
    const email2a = `owner2a-${crypto.randomUUID().slice(0, 6)}@example.com`
    const user2a = await createTestUser(services, { email: email2a })
    await withPlatformScope(services.db, (tx) =>
      tx
        .update(people)
        .set({ userId: user2a.userId, email: email2a })
        .where(eq(people.id, ph.scenario.owner('2A'))),
    )
    await linkTestChat(services, 'telegram', owner2a, user2a.userId)
    const deps = { db: services.db, mailer: services.mailer, bus: services.bus }

    await sendNotice(deps, { organizationId, assemblyId })
    await drainChats()
    const [notice] = telegramApi.messagesTo(Number(owner1a))
    expect(notice.text).toContain('Convocatoria')
    expect(notice.text).toContain('Orden del día')
    expect(telegramApi.messagesTo(Number(owner2a))).toHaveLength(1)
    expect(sink.messages.filter((m) => m.to.includes(ph.holder.email))).toHaveLength(1)
    const [noticeRecord] = await listCommunications(services.db, { organizationId, assemblyId })
    expect(noticeRecord!.kind).toBe('notice')
    const units = (
      await getCommunication(services.db, { organizationId, assemblyId, communicationId: noticeRecord!.id })
    ).units
    const channels = (n: string) =>
      units
        .find((u) => u.unitNumber === n)!
        .deliveries.map((d) => `${d.channel}:${d.status}`)
        .sort()
    expect(channels('1A')).toEqual(['email:accepted', 'telegram:accepted'])
    // 2A: its owner (email and chat) and its proxy holder (email).
    expect(channels('2A')).toEqual(['email:accepted', 'email:accepted', 'telegram:accepted'])

    // A reminder falls due: 2A's owner has given the proxy of their only unit, so hears nothing.
    await withPlatformScope(services.db, (tx) =>
      tx
        .insert(noticeReminders)
        .values({ organizationId, assemblyId, daysBefore: 1, dueAt: new Date(Date.now() - 1000) }),
    )
    const mailBefore = sink.messages.length
    expect(await sendDueReminders(deps)).toBeGreaterThanOrEqual(1)
    await drainChats()
    const reminders = sink.messages.slice(mailBefore).map((m) => ({ to: m.to, ...readMessage(m.raw) }))
    const remindedTo = reminders.filter((m) => m.subject.startsWith('Recordatorio')).flatMap((m) => m.to)
    expect(remindedTo).toContain(ph.owners['1A'].email)
    expect(remindedTo).toContain(ph.holder.email)
    expect(remindedTo).not.toContain(email2a)
    expect(telegramApi.messagesTo(Number(owner1a)).at(-1).text).toContain('RECORDATORIO')
    expect(telegramApi.messagesTo(Number(owner2a))).toHaveLength(1)
    const sentReminders = await withPlatformScope(services.db, (tx) =>
      tx
        .select()
        .from(noticeReminders)
        .where(and(eq(noticeReminders.assemblyId, assemblyId), eq(noticeReminders.daysBefore, 1))),
    )
    expect(sentReminders[0]!.sentAt).not.toBeNull()
  })
})
