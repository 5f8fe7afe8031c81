import { and, eq, gt, inArray, sql } from 'drizzle-orm'
import { assemblyTopic } from '../../core/assemblies/events.ts'
import { parseVoteReminder } from '../../core/assemblies/vote-reminder-event.ts'
import type { Unsubscribe } from '../../core/bus/types.ts'
import { type Database, rowsOf } from '../../db/client.ts'
import { assemblies, assemblyEvents, motions } from '../../db/schema/index.ts'
import { withPlatformScope } from '../../db/tenant.ts'
import { type AssemblyEventInput, type NotifyDeps, notifyAssemblyEvent } from './queue.ts'
import { notifyVoteReminder } from './vote-reminders.ts'

/*
 * Finds the events worth a notification by itself, so no other process has to call
 * notifyAssemblyEvent: assembly_events rows 'convened' and 'started' and motions opened, since a
 * cursor kept in the bus. It polls, and polls at once when an active assembly's topic speaks
 * (`assembly:<id>`: status changes, 'changed' after a motion opens…). Rows committed late are caught by
 * looking back a few minutes; the per-event dedup key of notifyAssemblyEvent keeps that harmless.
 */

const CURSOR_KEY = 'bots:watch:cursor'
const LOOKBACK_MS = 5 * 60_000
const CURSOR_TTL_MS = 30 * 86_400_000

interface Cursor {
  /** Nothing before this is ever notified: the time the first bots process started. */
  floor: number
  at: number
}

export interface WatcherDeps extends NotifyDeps {
  intervalMs?: number
  /** Debounce of topic messages: a burst of changes makes one poll. */
  wakeDelayMs?: number
}

async function databaseNow(db: Database): Promise<number> {
  const [row] = rowsOf<{ now: string | Date }>(await db.execute(sql`select now() as now`))
  return new Date(row!.now).getTime()
}

export function createAssemblyWatcher(deps: WatcherDeps) {
  const { db, bus, log } = deps
  const intervalMs = deps.intervalMs ?? 15_000
  const wakeDelayMs = deps.wakeDelayMs ?? 250
  const subscriptions = new Map<string, Unsubscribe>()
  let timer: Timer | null = null
  let wakeTimer: Timer | null = null
  let polling: Promise<number> | null = null
  let pollAgain = false
  let stopped = true

  async function readCursor(now: number): Promise<Cursor> {
    await bus.setIfAbsent(CURSOR_KEY, JSON.stringify({ floor: now, at: now }), CURSOR_TTL_MS)
    return JSON.parse((await bus.get(CURSOR_KEY)) ?? JSON.stringify({ floor: now, at: now })) as Cursor
  }

  async function findEvents(since: Date): Promise<AssemblyEventInput[]> {
    return withPlatformScope(db, async (tx) => {
      const transitions = await tx
        .select({
          kind: assemblyEvents.kind,
          organizationId: assemblyEvents.organizationId,
          assemblyId: assemblyEvents.assemblyId,
        })
        .from(assemblyEvents)
        .where(and(inArray(assemblyEvents.kind, ['convened', 'started']), gt(assemblyEvents.at, since)))
      const opened = await tx
        .select({
          organizationId: motions.organizationId,
          assemblyId: motions.assemblyId,
          motionId: motions.id,
        })
        .from(motions)
        .where(and(eq(motions.status, 'open'), gt(motions.openedAt, since)))
      return [
        ...transitions.map((row) => ({ ...row, kind: row.kind as 'convened' | 'started' })),
        ...opened.map((row) => ({ ...row, kind: 'motion_opened' as const })),
      ]
    })
  }

  /** Listens to the topics of assemblies that may still convene, start or open a motion. */
  async function followActiveAssemblies(): Promise<void> {
    const active = await withPlatformScope(db, (tx) =>
      tx
        .select({ id: assemblies.id })
        .from(assemblies)
        .where(inArray(assemblies.status, ['draft', 'convened', 'in_progress', 'suspended'])),
    )
    const wanted = new Set(active.map((row) => row.id))
    for (const [assemblyId, unsubscribe] of subscriptions) {
      if (wanted.has(assemblyId)) continue
      subscriptions.delete(assemblyId)
      await unsubscribe()
    }
    for (const assemblyId of wanted) {
      if (subscriptions.has(assemblyId)) continue
      subscriptions.set(assemblyId, await bus.subscribe(assemblyTopic(assemblyId), onTopicMessage))
    }
  }

  /** One pass: queues what happened since the cursor; returns how many events were new. */
  async function pollOnce(): Promise<number> {
    const now = await databaseNow(db)
    const cursor = await readCursor(now)
    const since = new Date(Math.max(cursor.floor, cursor.at - LOOKBACK_MS))
    let fresh = 0
    for (const event of await findEvents(since)) {
      const { duplicate } = await notifyAssemblyEvent(deps, event)
      if (!duplicate) fresh += 1
    }
    await bus.set(CURSOR_KEY, JSON.stringify({ floor: cursor.floor, at: now }), CURSOR_TTL_MS)
    if (!stopped) await followActiveAssemblies()
    return fresh
  }

  /** Polls now; a request during a poll runs one more pass after it, so no wake-up is lost. */
  function poll(): Promise<number> {
    if (polling) {
      pollAgain = true
      return polling
    }
    polling = pollOnce()
      .catch((error) => {
        log.error('assembly watcher failed', { error })
        return 0
      })
      .finally(() => {
        polling = null
        if (pollAgain && !stopped) {
          pollAgain = false
          void poll()
        }
      })
    return polling
  }

  /** A topic spoke: poll for events, and queue a board's vote reminder to the chats at once. */
  function onTopicMessage(message: string): void {
    const reminder = parseVoteReminder(message)
    if (reminder && !stopped)
      void notifyVoteReminder(deps, reminder).catch((error) => log.error('vote reminder failed', { error }))
    wake()
  }

  function wake(): void {
    if (stopped || wakeTimer) return
    wakeTimer = setTimeout(() => {
      wakeTimer = null
      void poll()
    }, wakeDelayMs)
  }

  return {
    poll,
    /** Topics followed now (for tests and metrics). */
    following: () => subscriptions.size,
    async start(): Promise<void> {
      stopped = false
      await poll()
      timer = setInterval(() => void poll(), intervalMs)
    },
    async stop(): Promise<void> {
      stopped = true
      if (timer) clearInterval(timer)
      if (wakeTimer) clearTimeout(wakeTimer)
      await polling
      for (const unsubscribe of subscriptions.values()) await unsubscribe()
      subscriptions.clear()
    },
  }
}

export type AssemblyWatcher = ReturnType<typeof createAssemblyWatcher>
