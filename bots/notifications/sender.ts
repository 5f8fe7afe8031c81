import { hostname } from 'node:os'
import { eq } from 'drizzle-orm'
import type { Bus, StreamEntry } from '../../core/bus/types.ts'
import type { LinkedChannel } from '../../core/chat/links.ts'
import { recordChatOutcome } from '../../core/communications/chat-outbox.ts'
import type { Logger } from '../../core/log.ts'
import type { Database } from '../../db/client.ts'
import { chatLinks } from '../../db/schema/index.ts'
import {
  decodeNotification,
  encodeNotification,
  NOTIFICATION_GROUP,
  NOTIFICATION_STREAM,
  type OutboundNotification,
} from './queue.ts'
import {
  type Clock,
  createSendThrottle,
  type SendThrottle,
  systemClock,
  type ThrottleLimits,
} from './throttle.ts'

/** A send that failed; `retryable` ones are tried again later (after `retryAfterMs` when the platform said). */
export class SendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message)
    this.name = 'SendError'
  }
}

/** Delivers one notification on one platform; throws SendError on failure. */
export interface ChannelSender {
  send(notification: OutboundNotification): Promise<void>
}

export interface SenderDeps {
  db: Database
  bus: Bus
  log: Logger
  channels: Partial<Record<LinkedChannel, { sender: ChannelSender; limits: ThrottleLimits }>>
  clock?: Clock
  consumer?: string
  maxAttempts?: number
  /** Entries another sender took and left unacknowledged this long are taken over. */
  claimIdleMs?: number
}

const MAX_BACKOFF_MS = 60_000

/** 1 s, 2 s, 4 s… up to a minute. */
export function backoffMs(attempt: number): number {
  return Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt)
}

/**
 * Drains the notification stream (a consumer group, so several bots processes share the work and a
 * dead one's entries are taken over): skips chats unlinked or muted since queuing, waits for each
 * platform's budget, and retries failures with exponential backoff by re-queuing them with a
 * not-before time. An entry is acknowledged once it is sent, given up, or re-queued.
 */
export function createNotificationSender(deps: SenderDeps) {
  const { db, bus, log } = deps
  const clock = deps.clock ?? systemClock
  const consumer = deps.consumer ?? `bots-${hostname()}-${process.pid}`
  const maxAttempts = deps.maxAttempts ?? 5
  const claimIdleMs = deps.claimIdleMs ?? 120_000
  const throttles = new Map<string, SendThrottle>()
  for (const [channel, config] of Object.entries(deps.channels)) {
    throttles.set(channel, createSendThrottle(bus, channel, config.limits))
  }
  /** Entries read before their not-before time, held (unacknowledged) until due. */
  const delayed = new Map<string, { entry: StreamEntry; notification: OutboundNotification }>()
  const stats = { sent: 0, skipped: 0, retried: 0, failed: 0, waitedMs: 0 }
  let running = false
  let loop: Promise<void> | null = null
  let groupReady: Promise<void> | null = null

  const ack = (id: string) => bus.ack(NOTIFICATION_STREAM, NOTIFICATION_GROUP, [id])

  async function stillWanted(notification: OutboundNotification): Promise<boolean> {
    const [link] = await db
      .select({ muted: chatLinks.muted, chatId: chatLinks.externalChatId })
      .from(chatLinks)
      .where(eq(chatLinks.id, notification.linkId))
    return Boolean(link && !link.muted && link.chatId === notification.chatId)
  }

  async function waitForBudget(channel: string, chatId: string): Promise<void> {
    const throttle = throttles.get(channel)!
    for (;;) {
      const waitMs = await throttle.reserve(chatId, clock.now())
      if (waitMs === 0) return
      stats.waitedMs += waitMs
      await clock.sleep(waitMs)
    }
  }

  /** A message of a communication: its outcome goes onto the per-unit delivery rows. */
  async function record(notification: OutboundNotification, status: 'accepted' | 'failed', error?: string) {
    if (!notification.track) return
    try {
      await recordChatOutcome(db, notification.track, { status, error })
    } catch (failure) {
      log.error('could not record a chat delivery', { error: failure })
    }
  }

  async function deliver(entry: StreamEntry, notification: OutboundNotification): Promise<void> {
    const channel = deps.channels[notification.channel]
    if (!channel || !(await stillWanted(notification))) {
      stats.skipped += 1
      await record(
        notification,
        'failed',
        channel ? 'chat unlinked or muted' : `${notification.channel} is off`,
      )
      await ack(entry.id)
      return
    }
    await waitForBudget(notification.channel, notification.chatId)
    try {
      await channel.sender.send(notification)
      stats.sent += 1
      await record(notification, 'accepted')
    } catch (error) {
      const failure = error instanceof SendError ? error : new SendError(String(error), true)
      const attempt = notification.attempt + 1
      if (!failure.retryable || attempt >= maxAttempts) {
        stats.failed += 1
        log.warn('notification given up', { channel: notification.channel, attempt, error: failure.message })
        await record(notification, 'failed', failure.message)
      } else {
        stats.retried += 1
        const wait = Math.max(failure.retryAfterMs ?? 0, backoffMs(notification.attempt))
        await bus.streamAdd(
          NOTIFICATION_STREAM,
          encodeNotification({ ...notification, attempt, notBefore: clock.now() + wait }),
        )
      }
    }
    await ack(entry.id)
  }

  async function handle(entry: StreamEntry): Promise<void> {
    const notification = decodeNotification(entry.fields)
    if (!notification) {
      await ack(entry.id)
      return
    }
    if (notification.notBefore > clock.now()) {
      delayed.set(entry.id, { entry, notification })
      return
    }
    await deliver(entry, notification)
  }

  async function dueDelayed(): Promise<number> {
    let handled = 0
    for (const [id, held] of [...delayed].sort(
      (a, b) => a[1].notification.notBefore - b[1].notification.notBefore,
    )) {
      if (held.notification.notBefore > clock.now()) break
      delayed.delete(id)
      await deliver(held.entry, held.notification)
      handled += 1
    }
    return handled
  }

  let lastTrimAt = clock.now()

  /** One round: due retries, entries abandoned by dead senders, then new entries. Returns entries read. */
  async function step(blockMs: number): Promise<number> {
    groupReady ??= bus.ensureGroup(NOTIFICATION_STREAM, NOTIFICATION_GROUP)
    await groupReady
    let handled = await dueDelayed()
    const stale = await bus.claimStale(NOTIFICATION_STREAM, NOTIFICATION_GROUP, consumer, claimIdleMs, 50)
    for (const entry of stale.filter((e) => !delayed.has(e.id))) await handle(entry)
    const fresh = await bus.readGroup(NOTIFICATION_STREAM, NOTIFICATION_GROUP, consumer, {
      count: 50,
      blockMs,
    })
    for (const entry of fresh) await handle(entry)
    handled += stale.length + fresh.length
    if (clock.now() - lastTrimAt >= 60_000) {
      // Delivered notifications need not stay in Redis.
      lastTrimAt = clock.now()
      await bus.trimAcknowledged(NOTIFICATION_STREAM, NOTIFICATION_GROUP)
    }
    return handled
  }

  return {
    stats,
    /** Sends everything queued, sleeping through backoffs (tests and shutdown); returns when idle. */
    async drain(): Promise<void> {
      for (;;) {
        if ((await step(0)) > 0) continue
        if (delayed.size === 0) return
        const next = Math.min(...[...delayed.values()].map((held) => held.notification.notBefore))
        await clock.sleep(Math.max(0, next - clock.now()))
      }
    },
    start(): void {
      if (running) return
      running = true
      loop = (async () => {
        while (running) {
          try {
            await step(1000)
          } catch (error) {
            log.error('notification sender failed; retrying', { error })
            await Bun.sleep(1000)
          }
        }
      })()
    },
    async stop(): Promise<void> {
      running = false
      await loop
      loop = null
    },
  }
}

export type NotificationSender = ReturnType<typeof createNotificationSender>
