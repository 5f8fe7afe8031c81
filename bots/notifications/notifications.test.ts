import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import { addAgendaItem } from '../../core/assemblies/agenda.ts'
import { conveneAssembly, startAssembly } from '../../core/assemblies/lifecycle.ts'
import { updateChatLink } from '../../core/chat/links.ts'
import { type ChatPh, createChatPh, linkTestChat, openMotion } from '../../core/chat/testing.ts'
import { setAssemblyStatus } from '../../core/motions/testing.ts'
import { createTestServices, type TestServices } from '../../core/services-testing.ts'
import { assemblies } from '../../db/schema/index.ts'
import { withPlatformScope, withTenant } from '../../db/tenant.ts'
import { createFakeClock } from '../testing.ts'
import {
  encodeNotification,
  NOTIFICATION_STREAM,
  notifyAssemblyEvent,
  type OutboundNotification,
} from './queue.ts'
import { type ChannelSender, createNotificationSender, SendError } from './sender.ts'
import { createAssemblyWatcher } from './watcher.ts'

let services: TestServices
let ph: ChatPh
const clock = createFakeClock()
let nextChat = 930_000

beforeAll(async () => {
  services = await createTestServices()
  ph = await createChatPh(services)
}, 60_000)
afterAll(() => services.close(), 60_000)

interface Sent {
  at: number
  notification: OutboundNotification
}

/** A channel that records what it sends (at the fake clock's time), failing as told. */
function recorder(fail: (notification: OutboundNotification, attempt: number) => Error | null = () => null) {
  const sent: Sent[] = []
  const sender: ChannelSender = {
    async send(notification) {
      const error = fail(notification, notification.attempt)
      if (error) throw error
      sent.push({ at: clock.now(), notification })
    },
  }
  return { sent, sender }
}

function senderWith(channels: { telegram?: ChannelSender; whatsapp?: ChannelSender }, perSecond = 25) {
  const limits = { perSecond, perChatIntervalMs: 1000 }
  return createNotificationSender({
    db: services.db,
    bus: services.bus,
    log: services.log,
    clock,
    channels: {
      ...(channels.telegram ? { telegram: { sender: channels.telegram, limits } } : {}),
      ...(channels.whatsapp ? { whatsapp: { sender: channels.whatsapp, limits } } : {}),
    },
  })
}

async function newChat(userId: string, channel: 'telegram' | 'whatsapp' = 'telegram') {
  const link = await linkTestChat(services, channel, String(++nextChat), userId)
  return link
}

describe('queuing an assembly event', () => {
  it('queues one notification per linked, unmuted chat of the PH, once', async () => {
    const other = await createChatPh(services)
    const owner = await newChat(ph.owners['1A'].userId)
    const holder = await newChat(ph.holder.userId, 'whatsapp')
    const muted = await newChat(ph.owners['1B'].userId)
    await updateChatLink(services.db, { userId: ph.owners['1B'].userId, linkId: muted.id }, { muted: true })
    const outsider = await newChat(other.owners['1A'].userId)
    const motionId = await openMotion(services, ph, { title: 'Instalar cámaras' })
    const event = {
      kind: 'motion_opened' as const,
      organizationId: ph.organizationId,
      assemblyId: ph.assemblyId,
      motionId,
    }
    const first = await notifyAssemblyEvent(services, event)
    expect(await notifyAssemblyEvent(services, event)).toEqual({ queued: 0, duplicate: true })
    const telegram = recorder()
    const whatsapp = recorder()
    await senderWith({ telegram: telegram.sender, whatsapp: whatsapp.sender }).drain()
    // Only this event's messages (another test may have left one of its own in the queue).
    const chats = [...telegram.sent, ...whatsapp.sent]
      .filter((sent) => sent.notification.reply.text?.includes('Instalar cámaras'))
      .map((sent) => sent.notification.chatId)
    expect(first.queued).toBe(chats.length)
    expect(chats).toContain(owner.externalChatId)
    expect(chats).toContain(holder.externalChatId)
    expect(chats).not.toContain(muted.externalChatId)
    expect(chats).not.toContain(outsider.externalChatId)
    const toOwner = telegram.sent.find((sent) => sent.notification.chatId === owner.externalChatId)!
    expect(toOwner.notification.reply.text).toContain('se abrió la votación «Instalar cámaras»')
    expect(toOwner.notification.reply.choices?.[0]).toMatchObject({
      label: 'Votar',
      id: expect.stringMatching(/^m\|/),
    })
  })

  it('skips a chat muted after the notification was queued', async () => {
    const link = await newChat(ph.owners['3A'].userId)
    const motionId = await openMotion(services, ph, { title: 'Podar los árboles' })
    await notifyAssemblyEvent(services, {
      kind: 'motion_opened',
      organizationId: ph.organizationId,
      assemblyId: ph.assemblyId,
      motionId,
    })
    await updateChatLink(services.db, { userId: ph.owners['3A'].userId, linkId: link.id }, { muted: true })
    const telegram = recorder()
    const sender = senderWith({ telegram: telegram.sender })
    await sender.drain()
    expect(telegram.sent.map((sent) => sent.notification.chatId)).not.toContain(link.externalChatId)
    expect(sender.stats.skipped).toBeGreaterThan(0)
  })
})

/** Queues a notification to a fresh linked chat (or to `chatId`, linked already). */
async function queueTo(chatId?: string): Promise<string> {
  const id = chatId ?? (await newChat(ph.holder.userId)).externalChatId
  const [link] = await services.db.query.chatLinks.findMany({
    where: (l, { eq }) => eq(l.externalChatId, id),
  })
  const notification: OutboundNotification = {
    linkId: link!.id,
    channel: 'telegram',
    chatId: id,
    language: 'es',
    reply: { text: `aviso a ${id}` },
    template: { kind: 'started', params: [] },
    attempt: 0,
    notBefore: 0,
  }
  await services.bus.streamAdd(NOTIFICATION_STREAM, encodeNotification(notification))
  return id
}

describe('the sender', () => {
  it('keeps under the per-second budget of the platform', async () => {
    for (let i = 0; i < 60; i++) await queueTo()
    const telegram = recorder()
    const started = clock.now()
    const sender = senderWith({ telegram: telegram.sender }, 25)
    await sender.drain()
    expect(telegram.sent).toHaveLength(60)
    const perSecond = new Map<number, number>()
    for (const sent of telegram.sent) {
      const second = Math.floor(sent.at / 1000)
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1)
    }
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(25)
    expect(clock.now() - started).toBeGreaterThanOrEqual(2000)
    expect(sender.stats.waitedMs).toBeGreaterThan(0)
  })

  it('sends at most one message per second to the same chat', async () => {
    const chatId = await queueTo()
    await queueTo(chatId)
    await queueTo(chatId)
    const telegram = recorder()
    await senderWith({ telegram: telegram.sender }).drain()
    const times = telegram.sent.map((sent) => sent.at)
    expect(times).toHaveLength(3)
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(1000)
    expect(times[2]! - times[1]!).toBeGreaterThanOrEqual(1000)
  })

  it('retries a failed send with exponential backoff', async () => {
    const chatId = await queueTo()
    const telegram = recorder((_notification, attempt) =>
      attempt < 2 ? new SendError('timeout', true) : null,
    )
    const sender = senderWith({ telegram: telegram.sender })
    const started = clock.now()
    await sender.drain()
    expect(telegram.sent.map((sent) => [sent.notification.chatId, sent.notification.attempt])).toEqual([
      [chatId, 2],
    ])
    expect(sender.stats.retried).toBe(2)
    // 1 s after the first failure, 2 s after the second.
    expect(clock.now() - started).toBeGreaterThanOrEqual(3000)
  })

  it('waits as long as the platform says after a 429', async () => {
    await queueTo()
    const telegram = recorder((_n, attempt) =>
      attempt === 0 ? new SendError('too many', true, 30_000) : null,
    )
    const started = clock.now()
    await senderWith({ telegram: telegram.sender }).drain()
    expect(telegram.sent).toHaveLength(1)
    expect(telegram.sent[0]!.at - started).toBeGreaterThanOrEqual(30_000)
  })

  it('gives up a final failure without retrying', async () => {
    const chatId = await queueTo()
    let tries = 0
    // Only this test's chat fails (tests run in any order; another may have left its own in the queue).
    const telegram = recorder((notification) => {
      if (notification.chatId !== chatId) return null
      tries += 1
      return new SendError('bot was blocked by the user', false)
    })
    const sender = senderWith({ telegram: telegram.sender })
    await sender.drain()
    expect(tries).toBe(1)
    expect(sender.stats.failed).toBe(1)
  })
})

describe('the assembly watcher', () => {
  it('notifies started and opened motions once, as they happen (owners get the convocatoria as a communication)', async () => {
    const watched = await createChatPh(services)
    await withPlatformScope(services.db, (tx) => setAssemblyStatus(tx, watched.scenario, 'draft'))
    await withTenant(services.db, watched.organizationId, (tx) =>
      tx
        .update(assemblies)
        .set({
          location: 'Salón de eventos',
          meetingUrl: 'https://meet.example/ph',
          convenedBy: 'La Junta',
          convenerPosition: 'Junta Directiva',
          secondCallAt: new Date(Date.now() + 3_600_000),
          callText: 'Se convoca…',
        })
        .where(
          and(eq(assemblies.id, watched.assemblyId), eq(assemblies.organizationId, watched.organizationId)),
        ),
    )
    const chat = await newChat(watched.owners['1A'].userId)
    const watcher = createAssemblyWatcher({ db: services.db, bus: services.bus, log: services.log })
    await watcher.poll()
    const telegram = recorder()
    const sender = senderWith({ telegram: telegram.sender })
    const scope = {
      organizationId: watched.organizationId,
      assemblyId: watched.assemblyId,
      actor: { userId: null },
    }
    const textsSoFar = async () => {
      await sender.drain()
      return telegram.sent
        .filter((sent) => sent.notification.chatId === chat.externalChatId)
        .map((sent) => sent.notification.reply.text)
    }

    await addAgendaItem(services.db, { ...scope, item: { title: 'Elegir la junta' } })
    await conveneAssembly(services.db, { ...scope, windowOverrideReason: 'Test meeting held today' })
    expect(await watcher.poll()).toBe(1)
    // Owners get the convocatoria itself as a communication (core/mail/notice.ts), not this ping.
    expect(await textsSoFar()).toEqual([])
    expect(await watcher.poll()).toBe(0)

    await startAssembly(services.db, scope)
    await watcher.poll()
    await openMotion(services, watched, { title: 'Elegir la junta' })
    await watcher.poll()
    const texts = await textsSoFar()
    expect(texts).toHaveLength(2)
    expect(texts[0]).toContain('comenzó la asamblea')
    expect(texts[1]).toContain('se abrió la votación «Elegir la junta»')
  })

  it('polls as soon as an active assembly’s topic speaks', async () => {
    const watched = await createChatPh(services)
    await newChat(watched.owners['1B'].userId)
    const watcher = createAssemblyWatcher({
      db: services.db,
      bus: services.bus,
      log: services.log,
      intervalMs: 3_600_000,
      wakeDelayMs: 10,
    })
    await watcher.start()
    try {
      expect(watcher.following()).toBeGreaterThan(0)
      const before = await services.bus.streamLength(NOTIFICATION_STREAM)
      // What the open route does: open through the vote service, then announce the change on the topic.
      await openMotion(services, watched, { title: 'Cambiar de administradora' })
      for (let i = 0; i < 100 && (await services.bus.streamLength(NOTIFICATION_STREAM)) === before; i++) {
        await Bun.sleep(20)
      }
      expect(await services.bus.streamLength(NOTIFICATION_STREAM)).toBeGreaterThan(before)
    } finally {
      await watcher.stop()
    }
  })
})
