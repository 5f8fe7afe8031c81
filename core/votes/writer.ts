import { sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { votes } from '../../db/schema/index.ts'
import { withPlatformScope } from '../../db/tenant.ts'
import type { Bus, StreamEntry } from '../bus/types.ts'
import type { Logger } from '../log.ts'
import { decodeEntry, type QueuedBallot, VOTE_STREAM } from './queue.ts'

export const WRITER_GROUP = 'vote-writers'
/** Published after every commit: see `committedMessage`. */
export const COMMITTED_CHANNEL = 'votes:committed'

/** A row a batch wrote (or offered: the table keeps it only if its sequence is newer). */
export interface CommittedBallot {
  motionId: string
  unitId: string
  sequence: string
  weight: string
  optionKeys: string[]
}

/** What the committed message says: the motions and assemblies whose tallies changed, and the rows. */
export interface Committed {
  motionIds: string[]
  assemblyIds: string[]
  /** Absent from messages of older writers: the counts are then read again from the table. */
  ballots?: CommittedBallot[]
}

type CommittedRow = [motionId: string, unitId: string, sequence: string, weight: string, optionKeys: string[]]

/** The committed message of a batch (rows as compact tuples: a batch may hold a thousand). */
export function committedMessage(ballots: readonly (QueuedBallot & { sequence: string })[]): string {
  const rows = newestPerUnit([...ballots]).map(
    (ballot): CommittedRow => [
      ballot.motionId,
      ballot.unitId,
      ballot.sequence,
      ballot.weight,
      ballot.optionKeys,
    ],
  )
  return JSON.stringify({
    motionIds: [...new Set(ballots.map((ballot) => ballot.motionId))],
    assemblyIds: [...new Set(ballots.map((ballot) => ballot.assemblyId))],
    rows,
  })
}

/** Reads a committed message (throws on one that is not). */
export function readCommitted(message: string): Committed {
  const parsed = JSON.parse(message) as { motionIds?: string[]; assemblyIds: string[]; rows?: CommittedRow[] }
  if (!Array.isArray(parsed.assemblyIds)) throw new Error('committed message without assemblyIds')
  return {
    motionIds: parsed.motionIds ?? [],
    assemblyIds: parsed.assemblyIds,
    ...(Array.isArray(parsed.rows)
      ? {
          ballots: parsed.rows.map(([motionId, unitId, sequence, weight, optionKeys]) => ({
            motionId,
            unitId,
            sequence,
            weight,
            optionKeys,
          })),
        }
      : {}),
  }
}

export interface VoteWriterOptions {
  bus: Bus
  db: Database
  log: Logger
  /** Most entries read and committed at once. */
  batchSize?: number
  /** How long a read waits for entries when the stream is idle. */
  maxWaitMs?: number
  /** Entries pending longer than this belonged to a dead writer and are taken over. */
  claimIdleMs?: number
  consumer?: string
  /**
   * After each committed batch: its size, and its lag (seconds from the oldest ballot's casting to
   * the commit). For the metrics; must not throw.
   */
  onBatch?: (batch: { size: number; lagSeconds: number }) => void
}

export interface WriterStats {
  batches: number
  committed: number
  claimed: number
  trimmed: number
  lastBatchSize: number
  lastBatchMs: number
  /** Seconds from the oldest ballot of the last batch being cast to its commit. */
  lastLagSeconds: number
  errors: number
}

type Ballot = QueuedBallot & { sequence: string }

/** Order of stream ids `<ms>-<n>`, compared as numbers (never as strings). */
export function compareSequence(a: string, b: string): number {
  const [am, an] = a.split('-').map(BigInt) as [bigint, bigint]
  const [bm, bn] = b.split('-').map(BigInt) as [bigint, bigint]
  if (am !== bm) return am < bm ? -1 : 1
  if (an !== bn) return an < bn ? -1 : 1
  return 0
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Newest ballot per (motion, unit): one upsert may not touch the same row twice. */
export function newestPerUnit(ballots: Ballot[]): Ballot[] {
  const newest = new Map<string, Ballot>()
  for (const ballot of ballots) {
    const key = `${ballot.motionId}:${ballot.unitId}`
    const current = newest.get(key)
    if (!current || compareSequence(ballot.sequence, current.sequence) > 0) newest.set(key, ballot)
  }
  return [...newest.values()]
}

/** The ON CONFLICT update of a vote row: the new ballot replaces the old one and counts a revision. */
export const replaceVote = {
  optionKeys: sql`excluded.option_keys`,
  weight: sql`excluded.weight`,
  upToDate: sql`excluded.up_to_date`,
  channel: sql`excluded.channel`,
  castByUserId: sql`excluded.cast_by_user_id`,
  castByPersonId: sql`excluded.cast_by_person_id`,
  proxyId: sql`excluded.proxy_id`,
  receipt: sql`excluded.receipt`,
  sequence: sql`excluded.sequence`,
  castAt: sql`excluded.cast_at`,
  revision: sql`${votes.revision} + 1`,
  committedAt: sql`now()`,
}

const sequenceOrder = (column: string) =>
  `(split_part(${column}, '-', 1)::bigint, split_part(${column}, '-', 2)::bigint)`

/**
 * The rows of a batch as one JSON parameter, read back by json_to_recordset: the statement's text is
 * the same for 1 or 1,000 rows, so PostgreSQL parses and plans it once per connection (prepared).
 * Columns in the table's order; `revision` and `committed_at` take their insert values.
 */
const batchRows = (json: string) => sql`
  select r.motion_id, r.unit_id, r.organization_id, r.option_keys, r.weight, r.up_to_date, r.channel,
         r.cast_by_user_id, r.cast_by_person_id, r.proxy_id, r.receipt, r.sequence, 1, r.cast_at, now()
  from json_to_recordset(${json}::json) as r(
    motion_id uuid, unit_id uuid, organization_id uuid, option_keys text[], weight numeric(12, 9),
    up_to_date boolean, channel vote_channel, cast_by_user_id uuid, cast_by_person_id uuid,
    proxy_id uuid, receipt text, sequence text, cast_at timestamptz)`

/**
 * Writes ballots with one upsert keyed by (motion, unit), prepared. A row is replaced only by a newer
 * sequence, so replays (a reclaimed batch, the closer and the writer both committing) are harmless.
 */
export async function upsertBallots(db: Database, ballots: Ballot[]): Promise<number> {
  // One fixed row order for every writer and closer: upserts over the same rows in different orders
  // would deadlock each other.
  const rows = newestPerUnit(ballots).sort(
    (a, b) => compareText(a.motionId, b.motionId) || compareText(a.unitId, b.unitId),
  )
  if (rows.length === 0) return 0
  const json = JSON.stringify(
    rows.map((ballot) => ({
      motion_id: ballot.motionId,
      unit_id: ballot.unitId,
      organization_id: ballot.organizationId,
      option_keys: ballot.optionKeys,
      weight: ballot.weight,
      up_to_date: ballot.upToDate,
      channel: ballot.channel,
      cast_by_user_id: ballot.castByUserId,
      cast_by_person_id: ballot.castByPersonId,
      proxy_id: ballot.proxyId,
      receipt: ballot.receipt,
      sequence: ballot.sequence,
      cast_at: new Date(ballot.castAt).toISOString(),
    })),
  )
  await withPlatformScope(db, async (tx) => {
    await tx
      .insert(votes)
      .select(batchRows(json))
      .onConflictDoUpdate({
        target: [votes.motionId, votes.unitId],
        set: replaceVote,
        setWhere: sql.raw(`${sequenceOrder('excluded.sequence')} > ${sequenceOrder('votes.sequence')}`),
      })
      .prepare('upsert_ballots')
      .execute()
  })
  return rows.length
}

/**
 * The batch writer (step 3 of README.md's "The vote path"): reads the vote stream through a consumer group, commits
 * each batch with one upsert, then acknowledges it. Entries a dead writer left pending are reclaimed.
 * Database or Redis outages make it retry with backoff, never die; it catches up afterwards.
 */
export function createVoteWriter(options: VoteWriterOptions) {
  const { bus, db, log } = options
  const batchSize = options.batchSize ?? 1000
  const maxWaitMs = options.maxWaitMs ?? 20
  const claimIdleMs = options.claimIdleMs ?? 30_000
  const consumer = options.consumer ?? `writer-${crypto.randomUUID().slice(0, 8)}`
  const stats: WriterStats = {
    batches: 0,
    committed: 0,
    claimed: 0,
    trimmed: 0,
    lastBatchSize: 0,
    lastBatchMs: 0,
    lastLagSeconds: 0,
    errors: 0,
  }
  let running = false
  let loop: Promise<void> | null = null
  let lastClaimAt = 0
  /** A batch whose commit failed: retried first, without waiting for it to look abandoned. */
  let unfinished: StreamEntry[] = []
  let lastTrimAt = Date.now()

  async function commit(entries: StreamEntry[]): Promise<void> {
    const started = performance.now()
    const ballots = entries.map(decodeEntry)
    await upsertBallots(db, ballots)
    await bus.ack(
      VOTE_STREAM,
      WRITER_GROUP,
      entries.map((entry) => entry.id),
    )
    stats.batches += 1
    stats.committed += entries.length
    stats.lastBatchSize = entries.length
    stats.lastBatchMs = performance.now() - started
    const oldest = ballots.reduce((min, ballot) => Math.min(min, ballot.castAt), Number.POSITIVE_INFINITY)
    stats.lastLagSeconds = Number.isFinite(oldest) ? Math.max(0, (Date.now() - oldest) / 1000) : 0
    options.onBatch?.({ size: entries.length, lagSeconds: stats.lastLagSeconds })
    await bus.publish(COMMITTED_CHANNEL, committedMessage(ballots)).catch(() => {})
  }

  async function commitOrKeep(entries: StreamEntry[]): Promise<void> {
    try {
      await commit(entries)
    } catch (error) {
      unfinished = entries
      throw error
    }
  }

  /** One read-commit-ack step; returns how many entries it committed. */
  async function step(blockMs: number): Promise<number> {
    if (unfinished.length > 0) {
      const retry = unfinished
      await commit(retry)
      unfinished = []
      return retry.length
    }
    if (Date.now() - lastClaimAt >= Math.min(claimIdleMs, 5000)) {
      lastClaimAt = Date.now()
      const stale = await bus.claimStale(VOTE_STREAM, WRITER_GROUP, consumer, claimIdleMs, batchSize)
      if (stale.length > 0) {
        stats.claimed += stale.length
        log.warn('reclaimed vote entries of a dead writer', { count: stale.length })
        await commitOrKeep(stale)
        return stale.length
      }
    }
    const entries = await bus.readGroup(VOTE_STREAM, WRITER_GROUP, consumer, { count: batchSize, blockMs })
    if (entries.length > 0) await commitOrKeep(entries)
    if (Date.now() - lastTrimAt >= 10_000) {
      // Committed and acknowledged entries are in PostgreSQL; the stream need not keep them.
      lastTrimAt = Date.now()
      stats.trimmed += await bus.trimAcknowledged(VOTE_STREAM, WRITER_GROUP)
    }
    return entries.length
  }

  async function run(): Promise<void> {
    let backoff = 100
    let ready = false
    while (running) {
      try {
        if (!ready) {
          await bus.ensureGroup(VOTE_STREAM, WRITER_GROUP)
          ready = true
        }
        await step(maxWaitMs)
        backoff = 100
      } catch (error) {
        stats.errors += 1
        ready = false
        log.error('vote writer failed; retrying', { error, retryInMs: backoff })
        await Bun.sleep(backoff)
        backoff = Math.min(backoff * 2, 5000)
      }
    }
  }

  return {
    consumer,
    stats,
    start(): void {
      if (running) return
      running = true
      loop = run()
    },
    async stop(): Promise<void> {
      running = false
      await loop
    },
    /** Commits everything readable now (for closers and tests); returns the number committed. */
    async drain(): Promise<number> {
      await bus.ensureGroup(VOTE_STREAM, WRITER_GROUP)
      let total = 0
      for (;;) {
        const count = await step(0)
        total += count
        if (count === 0) return total
      }
    },
  }
}

export type VoteWriter = ReturnType<typeof createVoteWriter>
