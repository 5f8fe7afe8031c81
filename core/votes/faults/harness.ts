import { expect } from 'bun:test'
import { inArray, sql } from 'drizzle-orm'
import type Redis from 'ioredis'
import { type Database, rowsOf } from '../../../db/client.ts'
import { attendance, votes } from '../../../db/schema/index.ts'
import { AppError } from '../../errors.ts'
import { createMotion } from '../../motions/motions.ts'
import { type MotionResult, recountMotion } from '../../motions/results.ts'
import { createScenario, type Scenario } from '../../motions/testing.ts'
import type { FastVote, VoteService } from '../service.ts'
import { compareSequence } from '../writer.ts'
import { openPsql, type PsqlSession } from './private-servers.ts'

/*
 * Shared pieces of the vote-path fault tests: a PH seeded with multi-row inserts, a plan of votes
 * (first votes and changed votes), a ledger of what the service accepted (a receipt and a sequence)
 * or refused, and the checks that compare the ledger with the votes table and the closed results.
 */

export const actor = { userId: null }
export const OPTIONS = ['yes', 'no', 'abstain'] as const

export interface Electorate {
  scenario: Scenario
  unitNumbers: string[]
  motionIds: string[]
}

/**
 * A PH of `units` equal units, all checked in (attendance inserted in multi-row chunks, not one
 * insert per unit), and `motions` motions opened through the vote service (simple majority, no quorum).
 */
export async function seedElectorate(
  db: Database,
  service: VoteService,
  spec: { units: number; motions: number },
): Promise<Electorate> {
  const unitNumbers = Array.from({ length: spec.units }, (_, i) => `A-${String(i + 1).padStart(5, '0')}`)
  const nano = 100_000_000_000n // 100 % in nano-percent
  const share = nano / BigInt(spec.units)
  const format = (value: bigint) =>
    `${value / 1_000_000_000n}.${String(value % 1_000_000_000n).padStart(9, '0')}`
  const scenario = await createScenario(db, {
    units: unitNumbers.map((number, i) => ({
      number,
      coefficient: format(i === spec.units - 1 ? nano - share * BigInt(spec.units - 1) : share),
      present: false,
    })),
  })
  const checkedInAt = new Date()
  for (let i = 0; i < unitNumbers.length; i += 1000) {
    await db.insert(attendance).values(
      unitNumbers.slice(i, i + 1000).map((number) => ({
        organizationId: scenario.organizationId,
        assemblyId: scenario.assemblyId,
        unitId: scenario.unit(number),
        personId: scenario.owner(number),
        mode: 'remote' as const,
        checkedInAt,
      })),
    )
  }
  const motionIds: string[] = []
  for (let i = 0; i < spec.motions; i++) {
    const motion = await createMotion(db, {
      organizationId: scenario.organizationId,
      assemblyId: scenario.assemblyId,
      actor,
      title: `Moción ${i + 1}`,
      requiresQuorum: false,
    })
    await service.open({ organizationId: scenario.organizationId, motionId: motion.id, actor })
    motionIds.push(motion.id)
  }
  return { scenario, unitNumbers, motionIds }
}

export interface PlannedVote {
  motionId: string
  unit: string
  option: string
}

/** A small deterministic generator, so a failing run can be replayed with the same plan. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

/**
 * One first vote per (motion, unit), in random order, plus `changes` changed votes (a different
 * option for a pair), each placed after its pair's first vote, at most `spread` positions later.
 * Casts run concurrently, so the newest is whichever the queue accepted last (the highest sequence),
 * which is what the ledger records.
 */
export function planVotes(
  electorate: Electorate,
  options: { changes: number; seed: number; spread?: number },
): PlannedVote[] {
  const random = seededRandom(options.seed)
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!
  const firsts: PlannedVote[] = []
  for (const unit of electorate.unitNumbers) {
    for (const motionId of electorate.motionIds) firsts.push({ motionId, unit, option: pick(OPTIONS) })
  }
  for (let i = firsts.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[firsts[i], firsts[j]] = [firsts[j]!, firsts[i]!]
  }
  const spread = options.spread ?? 1500
  const keyed = firsts.map((vote, i) => ({ vote, at: i }))
  for (let n = 0; n < options.changes; n++) {
    const i = Math.floor(random() * firsts.length)
    const first = firsts[i]!
    const option = pick(OPTIONS.filter((key) => key !== first.option))
    keyed.push({ vote: { ...first, option }, at: i + 0.5 + random() * spread })
  }
  return keyed.sort((a, b) => a.at - b.at).map((entry) => entry.vote)
}

interface AcceptedVote {
  motionId: string
  unitId: string
  option: string
  sequence: string
  receiptHash: string
}

/** What the callers were told: accepted votes (newest per pair) and refusals by reason. */
export class VoteLedger {
  /** Newest accepted vote per `motionId:unitId`. */
  readonly newest = new Map<string, AcceptedVote>()
  /** Accepted votes per pair (an upsert may apply at most this many times). */
  readonly acceptedPerPair = new Map<string, number>()
  readonly refusals = new Map<string, number>()
  /** Every receipt handed out (pair `motionId:unitId` and sequence), in the order they arrived. */
  readonly receipts: { key: string; sequence: string }[] = []
  accepted = 0
  refused = 0

  record(motionId: string, option: string, vote: FastVote): void {
    this.accepted += 1
    const key = `${motionId}:${vote.unitId}`
    this.receipts.push({ key, sequence: vote.sequence })
    this.acceptedPerPair.set(key, (this.acceptedPerPair.get(key) ?? 0) + 1)
    const current = this.newest.get(key)
    if (!current || compareSequence(vote.sequence, current.sequence) > 0) {
      this.newest.set(key, {
        motionId,
        unitId: vote.unitId,
        option,
        sequence: vote.sequence,
        receiptHash: vote.receiptHash,
      })
    }
  }

  refuse(reason: string): void {
    this.refused += 1
    this.refusals.set(reason, (this.refusals.get(reason) ?? 0) + 1)
  }

  expectedFor(motionId: string): AcceptedVote[] {
    return [...this.newest.values()].filter((vote) => vote.motionId === motionId)
  }
}

/** Why a cast failed: the AppError code, or the kind of infrastructure error. */
export function refusalReason(error: unknown): string {
  if (error instanceof AppError) return error.code
  if (error instanceof Error) return `error:${error.name}:${error.message.slice(0, 60)}`
  return `error:${String(error).slice(0, 60)}`
}

/** Casts one planned vote as the unit's owner; records the receipt or the refusal in the ledger. */
export async function castPlanned(
  service: VoteService,
  electorate: Electorate,
  ledger: VoteLedger,
  vote: PlannedVote,
): Promise<'accepted' | 'refused'> {
  const { scenario } = electorate
  try {
    const result = await service.cast({
      organizationId: scenario.organizationId,
      motionId: vote.motionId,
      ballots: [{ unitId: scenario.unit(vote.unit), optionKeys: [vote.option] }],
      actor: { userId: null, personId: scenario.owner(vote.unit) },
      channel: 'api',
    })
    ledger.record(vote.motionId, vote.option, result.votes[0]!)
    return 'accepted'
  } catch (error) {
    ledger.refuse(refusalReason(error))
    return 'refused'
  }
}

/** Runs `fn` over `items` with at most `concurrency` in flight. */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, index: number) => Promise<unknown>,
): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      await fn(items[index]!, index)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker))
}

export interface CommitReport {
  expected: number
  rows: number
  /** Accepted pairs with no row. */
  missing: number
  /** Rows that are not the newest accepted vote (sequence, option or receipt differ). */
  stale: number
  /** Rows for pairs that no caller was told were accepted. */
  extra: number
  /** Rows updated more times than votes were accepted for the pair (a replay applied twice). */
  overApplied: number
  examples: string[]
}

/** Compares the votes table of the motions with the ledger. */
export async function compareWithDatabase(
  db: Database,
  ledger: VoteLedger,
  motionIds: readonly string[],
): Promise<CommitReport> {
  const rows = await db
    .select({
      motionId: votes.motionId,
      unitId: votes.unitId,
      optionKeys: votes.optionKeys,
      sequence: votes.sequence,
      receipt: votes.receipt,
      revision: votes.revision,
    })
    .from(votes)
    .where(inArray(votes.motionId, [...motionIds]))
  const wanted = new Set(motionIds)
  const expected = [...ledger.newest.values()].filter((vote) => wanted.has(vote.motionId))
  const byKey = new Map(rows.map((row) => [`${row.motionId}:${row.unitId}`, row]))
  const report: CommitReport = {
    expected: expected.length,
    rows: rows.length,
    missing: 0,
    stale: 0,
    extra: 0,
    overApplied: 0,
    examples: [],
  }
  const note = (text: string) => {
    if (report.examples.length < 5) report.examples.push(text)
  }
  for (const vote of expected) {
    const key = `${vote.motionId}:${vote.unitId}`
    const row = byKey.get(key)
    if (!row) {
      report.missing += 1
      note(`missing ${key} seq ${vote.sequence}`)
      continue
    }
    if (
      row.sequence !== vote.sequence ||
      row.receipt !== vote.receiptHash ||
      row.optionKeys.length !== 1 ||
      row.optionKeys[0] !== vote.option
    ) {
      report.stale += 1
      note(`stale ${key}: row ${row.sequence} ${row.optionKeys} vs accepted ${vote.sequence} ${vote.option}`)
    }
    if (row.revision > (ledger.acceptedPerPair.get(key) ?? 0)) {
      report.overApplied += 1
      note(`over-applied ${key}: revision ${row.revision}, accepted ${ledger.acceptedPerPair.get(key)}`)
    }
  }
  for (const row of rows) {
    const key = `${row.motionId}:${row.unitId}`
    if (!ledger.newest.has(key)) {
      report.extra += 1
      note(`extra ${key} seq ${row.sequence}`)
    }
  }
  return report
}

export const isClean = (report: CommitReport) =>
  report.missing + report.stale + report.extra + report.overApplied === 0 && report.rows === report.expected

/**
 * Pending entries (delivered, not acknowledged) of a stream's group, and whether entries remain that
 * were never delivered (the group's last delivered id is behind the stream's newest entry). Computed
 * from ids rather than XINFO's `lag`, which Redis may report as null (e.g. after entries are deleted).
 */
export async function groupStatus(
  redis: Redis,
  streamKey: string,
  group: string,
): Promise<{ pending: number; undelivered: boolean; length: number }> {
  const length = await redis.xlen(streamKey)
  const newest = (await redis.xrevrange(streamKey, '+', '-', 'COUNT', 1)) as [string, string[]][]
  const newestId = newest[0]?.[0] ?? null
  const groups = (await redis.xinfo('GROUPS', streamKey).catch(() => [])) as unknown[]
  for (const raw of groups) {
    const fields: Record<string, unknown> = {}
    if (Array.isArray(raw)) {
      for (let i = 0; i + 1 < raw.length; i += 2) fields[String(raw[i])] = raw[i + 1]
    } else if (raw && typeof raw === 'object') {
      Object.assign(fields, raw)
    }
    if (String(fields.name) !== group) continue
    const delivered = String(fields['last-delivered-id'] ?? '0-0')
    const undelivered = newestId !== null && compareSequence(delivered, newestId) < 0
    return { pending: Number(fields.pending ?? 0), undelivered, length }
  }
  return { pending: 0, undelivered: length > 0, length }
}

/** Polls until `check` returns true; returns the time it took. Fails with `describe()` on timeout. */
export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  options: { timeoutMs: number; intervalMs?: number; describe?: () => Promise<string> | string },
): Promise<number> {
  const started = performance.now()
  const deadline = Date.now() + options.timeoutMs
  for (;;) {
    if (await check()) return performance.now() - started
    if (Date.now() > deadline) {
      const state = options.describe ? await options.describe() : ''
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}. ${state}`)
    }
    await Bun.sleep(options.intervalMs ?? 50)
  }
}

/**
 * Checks a stored result against the ledger: it counts exactly the newest accepted vote of every unit
 * (by receipt), its per-option tally equals the ledger's, and it equals a recount from the votes table.
 */
export async function verifyResult(
  db: Database,
  organizationId: string,
  motionId: string,
  result: MotionResult,
  ledger: VoteLedger,
): Promise<void> {
  const expected = ledger.expectedFor(motionId)
  expect(result.totals.receipts).toEqual(expected.map((vote) => vote.receiptHash).sort(compareText))
  expect(result.totals.tally.cast.units).toBe(expected.length)
  const perOption = new Map<string, number>()
  for (const vote of expected) perOption.set(vote.option, (perOption.get(vote.option) ?? 0) + 1)
  for (const row of result.totals.tally.options) {
    expect({ option: row.key, units: row.units }).toEqual({
      option: row.key,
      units: perOption.get(row.key) ?? 0,
    })
  }
  const recount = await recountMotion(db, { organizationId, motionId })
  expect(recount.differences).toEqual([])
  expect(recount.matches).toBe(true)
}

/** Closes every motion through the service and checks each stored result with `verifyResult`. */
export async function closeAndVerify(
  db: Database,
  service: VoteService,
  electorate: Electorate,
  ledger: VoteLedger,
): Promise<void> {
  const { organizationId } = electorate.scenario
  for (const motionId of electorate.motionIds) {
    const { result } = await service.close({ organizationId, motionId, actor })
    await verifyResult(db, organizationId, motionId, result, ledger)
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

export interface WriterProcess {
  readonly proc: Bun.Subprocess
  /** JSON log lines the process printed so far (stdout and stderr). */
  readonly lines: string[]
  /** Resolves with the consumer name once the writer logged that it runs. */
  ready(timeoutMs?: number): Promise<string>
  /** Sum of `count` over its "reclaimed vote entries of a dead writer" warnings. */
  reclaimed(): number
  /** Number of "vote writer failed; retrying" errors it logged. */
  failures(): number
}

/**
 * Spawns the batch writer as its own process (`bun realtime/writer.ts`) with only the given
 * environment (plus PATH/HOME): nothing of the test's own environment leaks into it.
 */
export function spawnWriterProcess(env: Record<string, string>): WriterProcess {
  const repoRoot = new URL('../../../', import.meta.url).pathname
  const proc = Bun.spawn([process.execPath, 'realtime/writer.ts'], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
    stdin: 'ignore',
  })
  const lines: string[] = []
  // Both pipes are drained continuously: a full pipe would block the writer on its next log line.
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const decoder = new TextDecoder()
    let buffered = ''
    for await (const chunk of stream) {
      buffered += decoder.decode(chunk, { stream: true })
      let newline = buffered.indexOf('\n')
      while (newline >= 0) {
        lines.push(buffered.slice(0, newline))
        buffered = buffered.slice(newline + 1)
        newline = buffered.indexOf('\n')
      }
    }
    if (buffered) lines.push(buffered)
  }
  void drain(proc.stdout as ReadableStream<Uint8Array>).catch(() => {})
  void drain(proc.stderr as ReadableStream<Uint8Array>).catch(() => {})
  const parsed = () =>
    lines.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>]
      } catch {
        return []
      }
    })
  return {
    proc,
    lines,
    async ready(timeoutMs = 15_000) {
      let consumer = ''
      await waitUntil(
        'the writer process to start',
        async () => {
          if (proc.exitCode !== null)
            throw new Error(`writer exited with ${proc.exitCode}: ${lines.join('\n')}`)
          const running = parsed().find((entry) => entry.msg === 'vote writer running')
          consumer = String(running?.consumer ?? '')
          return running !== undefined
        },
        { timeoutMs, intervalMs: 20, describe: () => lines.slice(-5).join('\n') },
      )
      return consumer
    },
    reclaimed: () =>
      parsed()
        .filter((entry) => entry.msg === 'reclaimed vote entries of a dead writer')
        .reduce((sum, entry) => sum + Number(entry.count ?? 0), 0),
    failures: () => parsed().filter((entry) => entry.msg === 'vote writer failed; retrying').length,
  }
}

/** 32 random bytes, base64: a SECRET_KEY for a child process. */
export const randomSecretKey = () =>
  Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')

/**
 * Holds LOCK TABLE votes IN EXCLUSIVE MODE (reads go on, writes wait) from a psql process of its own,
 * so that the writer's next commit blocks inside its transaction: a fault injected then certainly
 * hits a commit in flight. Close the session to release the lock.
 */
export async function lockVotesTable(binDir: string, databaseUrl: string): Promise<PsqlSession> {
  const psql = await openPsql(binDir, databaseUrl)
  await psql.run(`begin; lock table votes in exclusive mode; select 'votes-locked';`, 'votes-locked')
  return psql
}

/** Waits until `atLeast` transactions of this database wait for the lock on the votes table. */
export async function waitForCommitBlockedOnVotes(
  db: Database,
  timeoutMs = 10_000,
  atLeast = 1,
): Promise<void> {
  await waitUntil(
    'a writer commit to wait on the votes table lock',
    async () => {
      const rows = rowsOf<{ n: number }>(
        await db.execute(
          sql`select count(*)::int as n from pg_locks
              where not granted and relation = 'votes'::regclass
                and database = (select oid from pg_database where datname = current_database())`,
        ),
      )
      return (rows[0]?.n ?? 0) >= atLeast
    },
    { timeoutMs, intervalMs: 20 },
  )
}
