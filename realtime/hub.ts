import { assemblyTopic } from '../core/assemblies/events.ts'
import {
  type AssemblySnapshot,
  loadAssemblySnapshot,
  type MotionView,
  organizationOfAssembly,
  withLiveCounts,
} from '../core/assemblies/live-snapshot.ts'
import type { Bus, Unsubscribe } from '../core/bus/types.ts'
import type { Logger } from '../core/log.ts'
import { COMMITTED_CHANNEL, readCommitted } from '../core/votes/writer.ts'
import type { Database } from '../db/client.ts'
import { createLiveTallies } from './live-tally.ts'

/** Messages to clients: a full snapshot, then deltas numbered by `seq` (a gap means: ask for a resync). */
export type TopicMessage =
  | { type: 'snapshot'; topic: string; seq: number; data: AssemblySnapshot }
  | {
      type: 'delta'
      topic: string
      seq: number
      /** Server time (ms) when the delta was published; lets screens and benchmarks measure latency. */
      at: number
      changes: {
        assembly?: AssemblySnapshot['assembly']
        quorum?: AssemblySnapshot['quorum']
        motions?: MotionView[]
        speakers?: AssemblySnapshot['speakers']
        quorumTrend?: AssemblySnapshot['quorumTrend']
      }
      /** Ids of motions that no longer exist. */
      removed?: string[]
    }

interface Topic {
  assemblyId: string
  organizationId: string
  seq: number
  snapshot: AssemblySnapshot
  /** Something other than votes changed (attendance, motion or assembly state): reload the snapshot. */
  dirty: boolean
  /** The reload must recompute the quorum (attendance, roster, proxies, assembly, or not known). */
  quorumChanged: boolean
  /** Motions whose committed votes changed since the last tick: only their counts are reloaded. */
  votesChanged: Set<string>
  subscribers: number
  unsubscribe: Unsubscribe
}

export interface HubStats {
  topics: number
  /** Reloads of a snapshot (motions, speakers; closed motions are kept as they were). */
  recomputes: number
  /** Reloads that also recomputed the quorum (after attendance, roster, proxy or assembly changes). */
  quorumRecomputes: number
  /** Light refreshes: counts of the open motions that received votes, nothing else. */
  countRefreshes: number
  /** Reads of open motions' votes for the live tallies (once per motion, then every few seconds). */
  tallyLoads: number
  deltas: number
  lastTickAt: number
}

/** Changes after which the quorum must be recomputed (core/changes kinds). */
const QUORUM_KINDS = new Set(['attendance', 'roster', 'proxy', 'assembly'])

/** The kinds a topic message names (`{ type: 'changed', kinds }`), or null when it names none. */
function changedKinds(message: string): string[] | null {
  try {
    const parsed = JSON.parse(message) as { type?: string; kinds?: unknown }
    if (parsed.type !== 'changed' || !Array.isArray(parsed.kinds)) return null
    return parsed.kinds.every((kind) => typeof kind === 'string') ? (parsed.kinds as string[]) : null
  } catch {
    return null
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** What changed between two snapshots of one assembly; null when nothing did. */
export function diffSnapshots(before: AssemblySnapshot, after: AssemblySnapshot) {
  const changes: Extract<TopicMessage, { type: 'delta' }>['changes'] = {}
  if (!same(before.assembly, after.assembly)) changes.assembly = after.assembly
  if (!same(before.quorum, after.quorum)) changes.quorum = after.quorum
  if (!same(before.speakers, after.speakers)) changes.speakers = after.speakers
  if (!same(before.quorumTrend, after.quorumTrend)) changes.quorumTrend = after.quorumTrend
  const previous = new Map(before.motions.map((motion) => [motion.id, motion]))
  const changedMotions = after.motions.filter((motion) => !same(previous.get(motion.id), motion))
  if (changedMotions.length > 0) changes.motions = changedMotions
  const current = new Set(after.motions.map((motion) => motion.id))
  const removed = before.motions.filter((motion) => !current.has(motion.id)).map((motion) => motion.id)
  if (Object.keys(changes).length === 0 && removed.length === 0) return null
  return { changes, removed }
}

/**
 * The tally broadcaster (README.md, "Realtime"): one topic per assembly with subscribers on this
 * node. Changes announced on the bus (votes committed, attendance, motion and assembly state) mark a
 * topic dirty; a tick recomputes dirty topics from committed data at most every `coalesceMs` and
 * publishes a numbered delta. Several nodes share the bus, so each serves its own clients.
 */
export function createTallyHub(deps: {
  db: Database
  bus: Bus
  log: Logger
  /** Sends a message to every client of a topic on this node (Bun's server.publish). */
  publish: (topic: string, message: string) => void
  coalesceMs?: number
}) {
  const { db, bus, log } = deps
  const topics = new Map<string, Topic>()
  const opening = new Map<string, Promise<Topic | null>>()
  const stats: HubStats = {
    topics: 0,
    recomputes: 0,
    quorumRecomputes: 0,
    countRefreshes: 0,
    tallyLoads: 0,
    deltas: 0,
    lastTickAt: 0,
  }
  const tallies = createLiveTallies({ db })
  let committedOff: Unsubscribe | null = null
  let timer: Timer | null = null
  let ticking = false

  const topicName = (assemblyId: string) => assemblyTopic(assemblyId)

  async function openTopic(assemblyId: string): Promise<Topic | null> {
    const organizationId = await organizationOfAssembly(db, assemblyId)
    if (!organizationId) return null
    const snapshot = await loadAssemblySnapshot(db, organizationId, assemblyId)
    if (!snapshot) return null
    const topic: Topic = {
      assemblyId,
      organizationId,
      seq: 1,
      snapshot,
      dirty: false,
      quorumChanged: false,
      votesChanged: new Set(),
      subscribers: 0,
      unsubscribe: await bus.subscribe(topicName(assemblyId), (message) =>
        markDirty(assemblyId, changedKinds(message)),
      ),
    }
    topics.set(assemblyId, topic)
    stats.topics = topics.size
    return topic
  }

  /** Marks a topic for a reload; `kinds` null (not known) recomputes everything, the quorum included. */
  function markDirty(assemblyId: string, kinds: readonly string[] | null = null): void {
    const topic = topics.get(assemblyId)
    if (!topic) return
    topic.dirty = true
    if (!kinds || kinds.some((kind) => QUORUM_KINDS.has(kind))) topic.quorumChanged = true
  }

  function markVotesChanged(assemblyId: string, motionIds: string[]): void {
    const topic = topics.get(assemblyId)
    if (topic) for (const motionId of motionIds) topic.votesChanged.add(motionId)
  }

  /** The snapshot with its open motions' (of `only`, when given) counts from the live tallies. */
  async function withTallies(organizationId: string, snapshot: AssemblySnapshot, only: Set<string> | null) {
    const open = snapshot.motions
      .filter((motion) => motion.status === 'open' && (!only || only.has(motion.id)))
      .map((motion) => motion.id)
    if (open.length === 0) return snapshot
    return withLiveCounts(snapshot, await tallies.counts(organizationId, open))
  }

  async function refresh(topic: Topic): Promise<void> {
    const full = topic.dirty
    const quorumChanged = topic.quorumChanged
    const motionIds = topic.votesChanged
    topic.dirty = false
    topic.quorumChanged = false
    topic.votesChanged = new Set()
    let next: AssemblySnapshot | null
    if (full) {
      next = await loadAssemblySnapshot(db, topic.organizationId, topic.assemblyId, {
        previous: topic.snapshot,
        quorumChanged,
      })
      if (quorumChanged) stats.quorumRecomputes += 1
      stats.recomputes += 1
      // Open motions show the live tallies' counts here too, so that a later light tick (from the
      // tallies) never shows less than this reload did (the table may be ahead of the messages).
      if (next) next = await withTallies(topic.organizationId, next, null)
    } else {
      next = await withTallies(topic.organizationId, topic.snapshot, motionIds)
      stats.countRefreshes += 1
    }
    stats.tallyLoads = tallies.stats.loads
    if (!next) return
    // A motion no longer open is shown by its result: its live tally is no longer kept.
    for (const motion of next.motions) if (motion.status !== 'open') tallies.forget(motion.id)
    const diff = diffSnapshots(topic.snapshot, next)
    topic.snapshot = next
    if (!diff) return
    topic.seq += 1
    stats.deltas += 1
    const message: TopicMessage = {
      type: 'delta',
      topic: topicName(topic.assemblyId),
      seq: topic.seq,
      at: Date.now(),
      changes: diff.changes,
      ...(diff.removed.length > 0 ? { removed: diff.removed } : {}),
    }
    deps.publish(topicName(topic.assemblyId), JSON.stringify(message))
  }

  async function tick(): Promise<void> {
    if (ticking) return
    ticking = true
    try {
      stats.lastTickAt = Date.now()
      for (const topic of topics.values()) {
        if ((!topic.dirty && topic.votesChanged.size === 0) || topic.subscribers === 0) continue
        await refresh(topic).catch((error) =>
          log.error('tally refresh failed', { assemblyId: topic.assemblyId, error }),
        )
      }
    } finally {
      ticking = false
    }
  }

  return {
    stats,
    topicName,
    async start(): Promise<void> {
      committedOff = await bus.subscribe(COMMITTED_CHANNEL, (message) => {
        try {
          const { assemblyIds, motionIds, ballots } = readCommitted(message)
          // The rows update the live tallies here; a message without them (an older writer) has the
          // counts of its motions read again.
          if (ballots) tallies.apply(ballots)
          else for (const motionId of motionIds) tallies.forget(motionId)
          // Votes change only the counts of the motions named; a message without them reloads all.
          for (const assemblyId of assemblyIds) {
            if (motionIds.length > 0) markVotesChanged(assemblyId, motionIds)
            else markDirty(assemblyId)
          }
        } catch {
          log.warn('malformed committed message', { message: message.slice(0, 200) })
        }
      })
      timer = setInterval(() => void tick(), deps.coalesceMs ?? 100)
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer)
      await committedOff?.()
      for (const topic of topics.values()) await topic.unsubscribe()
      topics.clear()
    },
    /** Adds a subscriber; returns the snapshot message to send it, or null for an unknown assembly. */
    async join(assemblyId: string): Promise<{ organizationId: string; message: TopicMessage } | null> {
      let topic = topics.get(assemblyId) ?? null
      if (!topic) {
        let pending = opening.get(assemblyId)
        if (!pending) {
          pending = openTopic(assemblyId).finally(() => opening.delete(assemblyId))
          opening.set(assemblyId, pending)
        }
        topic = await pending
      }
      if (!topic) return null
      topic.subscribers += 1
      return { organizationId: topic.organizationId, message: this.snapshotOf(assemblyId)! }
    },
    leave(assemblyId: string): void {
      const topic = topics.get(assemblyId)
      if (topic) topic.subscribers = Math.max(0, topic.subscribers - 1)
    },
    /** The current snapshot message of a topic (for joins and resyncs). */
    snapshotOf(assemblyId: string): TopicMessage | null {
      const topic = topics.get(assemblyId)
      if (!topic) return null
      return { type: 'snapshot', topic: topicName(assemblyId), seq: topic.seq, data: topic.snapshot }
    },
    /** The PH of an assembly (from the open topic, else the database); null when there is none. */
    async organizationOf(assemblyId: string): Promise<string | null> {
      return topics.get(assemblyId)?.organizationId ?? organizationOfAssembly(db, assemblyId)
    },
    markDirty,
    tick,
  }
}

export type TallyHub = ReturnType<typeof createTallyHub>
