import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inArray, sql } from 'drizzle-orm'
import { votes } from '../../../db/schema/index.ts'
import { createRedisBus, type RedisBus } from '../../bus/redis.ts'
import { silentLogger } from '../../log.ts'
import { createVoteQueue, VOTE_STREAM } from '../queue.ts'
import { createVoteService, type VoteService } from '../service.ts'
import { WRITER_GROUP } from '../writer.ts'
import {
  castPlanned,
  closeAndVerify,
  compareWithDatabase,
  groupStatus,
  isClean,
  lockVotesTable,
  planVotes,
  randomSecretKey,
  runPool,
  seedElectorate,
  spawnWriterProcess,
  VoteLedger,
  type WriterProcess,
  waitForCommitBlockedOnVotes,
  waitUntil,
} from './harness.ts'
import {
  databaseForFaultTest,
  type FaultDatabase,
  type PrivateRedis,
  type PsqlSession,
  postgresBinDir,
  startPrivateRedis,
} from './private-servers.ts'

/*
 * Fault test (issue #5): the batch writer, running as its own process, is killed with SIGKILL in
 * the middle of 10,000 votes and a new one is started. Votes keep arriving while no writer runs.
 * The new writer reclaims what the dead one had read but not acknowledged (XAUTOCLAIM after
 * VOTE_CLAIM_IDLE_MS), and the newest-wins upsert makes every replay harmless. So that the kill
 * certainly leaves a batch read but not acknowledged, the writer is killed while its commit waits on
 * a lock of the votes table held by a psql session (released right after the kill).
 *
 * The writer process has no key prefix (it is a deployment's writer), so this file runs on a
 * private Redis, never on the shared one.
 */

let redis: PrivateRedis | undefined
let database: FaultDatabase | undefined
let bus: RedisBus | undefined
let service: VoteService
let dataDir: string | undefined
let psql: PsqlSession | undefined
const writers: WriterProcess[] = []

beforeAll(async () => {
  redis = await startPrivateRedis()
  database = await databaseForFaultTest()
  dataDir = mkdtempSync(join(tmpdir(), 'assembly-faults-writer-'))
  bus = createRedisBus({ url: redis.url, prefix: '' })
  service = createVoteService({ db: database.handle.db, bus, queue: createVoteQueue(bus), log: silentLogger })
}, 60_000)

afterAll(async () => {
  await psql?.close()
  for (const writer of writers) {
    if (writer.proc.exitCode === null && writer.proc.signalCode === null) writer.proc.kill('SIGKILL')
  }
  await Promise.all(writers.map((writer) => writer.proc.exited))
  await bus?.close().catch(() => {})
  await database?.close()
  await redis?.stop()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
}, 60_000)

/** Entries pending per consumer (XPENDING summary form). */
async function pendingByConsumer(client: RedisBus['client']): Promise<Map<string, number>> {
  const reply = (await client.xpending(VOTE_STREAM, WRITER_GROUP)) as [number, unknown, unknown, unknown]
  const consumers = (reply[3] ?? []) as [string, string | number][]
  return new Map(consumers.map(([name, count]) => [name, Number(count)]))
}

describe('fault: the batch writer process dies', () => {
  it('SIGKILL of the writer mid-way through 10,000 votes, then a new writer: every accepted vote is in PostgreSQL exactly once and each result equals a recount', async () => {
    const db = database!.handle.db
    const client = bus!.client
    const electorate = await seedElectorate(db, service, { units: 2000, motions: 4 })
    // 8,000 first votes (2,000 units × 4 motions) and 2,000 changed votes: 10,000 casts.
    const plan = planVotes(electorate, { changes: 2000, seed: 5_0001 })
    expect(plan).toHaveLength(10_000)
    const ledger = new VoteLedger()
    const env = {
      APP_ENV: 'test',
      DATABASE_URL: database!.url,
      REDIS_URL: redis!.url,
      SECRET_KEY: randomSecretKey(),
      DATA_DIR: dataDir!,
      DATABASE_POOL_SIZE: '4',
      VOTE_CLAIM_IDLE_MS: '500',
      LOG_LEVEL: 'info',
    }
    const first = spawnWriterProcess(env)
    writers.push(first)
    const firstConsumer = await first.ready()

    const rowCount = async () => {
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(votes)
        .where(inArray(votes.motionId, electorate.motionIds))
      return row!.n
    }
    const third = Math.ceil(plan.length / 3)
    const figures = {
      votesCast: plan.length,
      rowsAtKill: 0,
      acceptedAtKill: 0,
      pendingOfDeadWriter: 0,
      castWhileNoWriter: 0,
      reclaimedByNewWriter: 0,
      ingestMs: 0,
      catchUpMs: 0,
    }
    let second: WriterProcess | undefined
    let writerDown = false
    let lockTaken = () => {}
    const locked = new Promise<void>((resolve) => {
      lockTaken = resolve
    })
    // Once a third of the votes is committed: block the first writer inside a commit (so it dies with
    // a batch read and not acknowledged), SIGKILL it, release the lock, then start the second one.
    const killed = (async () => {
      await waitUntil('a third of the votes to be committed', async () => (await rowCount()) >= third, {
        timeoutMs: 30_000,
        intervalMs: 10,
      })
      psql = await lockVotesTable(postgresBinDir(), database!.url)
      lockTaken()
      await waitForCommitBlockedOnVotes(db)
      first.proc.kill('SIGKILL')
      await first.proc.exited
      writerDown = true
      await psql.close()
      figures.acceptedAtKill = ledger.accepted
      figures.rowsAtKill = await rowCount()
      figures.pendingOfDeadWriter = (await pendingByConsumer(client)).get(firstConsumer) ?? 0
    })()
    const restarted = (async () => {
      await killed
      second = spawnWriterProcess(env)
      writers.push(second)
      await second.ready()
      writerDown = false
    })()

    const started = performance.now()
    const chunk = 500
    for (let i = 0; i < plan.length; i += chunk) {
      // The second half is cast once the writer is being stopped: votes keep arriving while it is
      // blocked, dead, and not yet replaced.
      if (i >= plan.length / 2) await Promise.race([locked, killed])
      await runPool(plan.slice(i, i + chunk), 50, async (vote) => {
        const outcome = await castPlanned(service, electorate, ledger, vote)
        if (outcome === 'accepted' && writerDown) figures.castWhileNoWriter += 1
      })
    }
    figures.ingestMs = Math.round(performance.now() - started)
    await restarted
    expect(first.proc.signalCode).toBe('SIGKILL')

    // Every accepted vote committed, nothing pending, nothing left undelivered.
    figures.catchUpMs = Math.round(
      await waitUntil(
        'the new writer to catch up',
        async () => {
          const status = await groupStatus(client, VOTE_STREAM, WRITER_GROUP)
          if (status.pending !== 0 || status.undelivered) return false
          return isClean(await compareWithDatabase(db, ledger, electorate.motionIds))
        },
        {
          timeoutMs: 30_000,
          intervalMs: 100,
          describe: async () =>
            JSON.stringify({
              group: await groupStatus(client, VOTE_STREAM, WRITER_GROUP),
              table: await compareWithDatabase(db, ledger, electorate.motionIds),
              writer: second?.lines.slice(-3),
            }),
        },
      ),
    )
    figures.reclaimedByNewWriter = second!.reclaimed()

    expect(ledger.refused).toBe(0)
    expect(ledger.accepted).toBe(plan.length)
    const report = await compareWithDatabase(db, ledger, electorate.motionIds)
    expect(report).toMatchObject({ missing: 0, stale: 0, extra: 0, overApplied: 0, rows: ledger.newest.size })
    // What the dead writer had read and not acknowledged was taken over by the new one.
    expect((await pendingByConsumer(client)).get(firstConsumer) ?? 0).toBe(0)
    expect(figures.pendingOfDeadWriter).toBeGreaterThan(0)
    expect(figures.reclaimedByNewWriter).toBeGreaterThanOrEqual(figures.pendingOfDeadWriter)

    await closeAndVerify(db, service, electorate, ledger)
    expect(isClean(await compareWithDatabase(db, ledger, electorate.motionIds))).toBe(true)

    // The new writer stops cleanly on SIGTERM.
    second!.proc.kill('SIGTERM')
    expect(await second!.proc.exited).toBe(0)
    console.log('[fault: writer SIGKILL]', JSON.stringify({ ...figures, distinctPairs: ledger.newest.size }))
  }, 90_000)
})
