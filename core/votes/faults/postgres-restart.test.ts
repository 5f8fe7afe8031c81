import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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
  createFreshDatabase,
  type FaultDatabase,
  type PrivatePostgres,
  type PrivateRedis,
  type PsqlSession,
  startPrivatePostgres,
  startPrivateRedis,
} from './private-servers.ts'

/*
 * Fault test (issue #5): PostgreSQL crashes (`pg_ctl stop -m immediate`: no checkpoint, WAL replay on
 * the next start) and comes back while votes are being cast and while the batch writer is inside a
 * commit. Accepting a vote needs PostgreSQL only for cached facts (the motion and the assembly's
 * voting facts), so with a warm cache votes keep being accepted into Redis during the outage. The
 * writer (its own process, as deployed) must fail, back off, retry, reclaim the batches whose commit
 * failed, and catch up once PostgreSQL is back, without dying.
 *
 * To make "the outage hits a commit in flight" certain rather than likely, a psql session holds
 * LOCK TABLE votes IN EXCLUSIVE MODE (reads allowed, writes wait) until the writer's upsert is
 * waiting for it; then the server crashes. Always on a private cluster and a private Redis (the
 * writer process has no key prefix); the shared servers are never touched.
 */

let cluster: PrivatePostgres | undefined
let database: FaultDatabase | undefined
let redis: PrivateRedis | undefined
let bus: RedisBus | undefined
let service: VoteService
let dataDir: string | undefined
let psql: PsqlSession | undefined
const writers: WriterProcess[] = []

beforeAll(async () => {
  cluster = await startPrivatePostgres()
  database = await createFreshDatabase(cluster.url)
  redis = await startPrivateRedis()
  dataDir = mkdtempSync(join(tmpdir(), 'assembly-faults-pgwriter-'))
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
  await cluster?.stop()
  if (dataDir) rmSync(dataDir, { recursive: true, force: true })
}, 60_000)

describe('fault: PostgreSQL restarts during ingest', () => {
  it('crash and restart of PostgreSQL during a writer commit: votes are still accepted, every accepted vote is committed exactly once, and the writer survives', async () => {
    const db = database!.handle.db
    const client = bus!.client
    const electorate = await seedElectorate(db, service, { units: 1500, motions: 2 })
    const plan = planVotes(electorate, { changes: 1000, seed: 5_0003 })
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
    const writer = spawnWriterProcess(env)
    writers.push(writer)
    await writer.ready()

    const figures = {
      votesCast: plan.length,
      acceptedWhileDown: 0,
      refusedWhileDown: 0,
      downtimeMs: 0,
      writerRetries: 0,
      writerSurvived: true,
      ingestMs: 0,
      catchUpAfterRestartMs: 0,
    }
    let down = false
    let upAt = 0
    let restarted: Promise<void> | undefined
    const crashAt = Math.floor(plan.length / 4)
    const started = performance.now()
    const chunk = 250
    const castChunk = (from: number) =>
      runPool(plan.slice(from, from + chunk), 50, async (vote) => {
        const whileDown = down
        const outcome = await castPlanned(service, electorate, ledger, vote)
        if (whileDown && down) {
          if (outcome === 'accepted') figures.acceptedWhileDown += 1
          else figures.refusedWhileDown += 1
        }
      })
    for (let i = 0; i < plan.length; i += chunk) {
      if (i < crashAt || restarted) {
        await castChunk(i)
        continue
      }
      // The first quarter was cast: the service's caches (motion, voting facts) are warm. Block the
      // writer inside its commit (the votes of this chunk give it something to commit), then crash
      // the server under it.
      psql = await lockVotesTable(cluster!.binDir, database!.url)
      const casting = castChunk(i)
      await waitForCommitBlockedOnVotes(db)
      await cluster!.crash()
      down = true
      const downAt = performance.now()
      await psql.close()
      restarted = (async () => {
        await Bun.sleep(2000)
        await cluster!.start()
        down = false
        upAt = performance.now()
        figures.downtimeMs = Math.round(upAt - downAt)
      })()
      await casting
    }
    figures.ingestMs = Math.round(performance.now() - started)
    await restarted

    // A writer that died is a failure of this test (asserted at the end), but the invariants on the
    // votes are still checked: a replacement writer takes over what the dead one left pending.
    let writerDeath: string | null = null
    if (writer.proc.exitCode !== null || writer.proc.signalCode !== null) {
      figures.writerSurvived = false
      const lines = writer.lines.filter((line) => line.trim() !== '')
      writerDeath =
        `the writer process exited (code ${writer.proc.exitCode}, signal ${writer.proc.signalCode}) ` +
        `during the PostgreSQL restart; its last output:\n${lines.slice(-8).join('\n')}`
      const replacement = spawnWriterProcess(env)
      writers.push(replacement)
      await replacement.ready()
    }

    await waitUntil(
      'the writer to catch up after the PostgreSQL restart',
      async () => {
        const status = await groupStatus(client, VOTE_STREAM, WRITER_GROUP)
        if (status.pending !== 0 || status.undelivered) return false
        const report = await compareWithDatabase(db, ledger, electorate.motionIds).catch(() => null)
        return report !== null && isClean(report)
      },
      {
        timeoutMs: 30_000,
        intervalMs: 100,
        describe: async () =>
          JSON.stringify({
            group: await groupStatus(client, VOTE_STREAM, WRITER_GROUP),
            table: await compareWithDatabase(db, ledger, electorate.motionIds).catch(String),
            writer: writers.at(-1)?.lines.slice(-3),
          }),
      },
    )
    figures.catchUpAfterRestartMs = Math.round(performance.now() - upAt)
    figures.writerRetries = writer.failures()

    // The accept step never needed PostgreSQL: no vote was refused, some were accepted while it was down.
    expect(ledger.refused).toBe(0)
    expect(ledger.accepted).toBe(plan.length)
    expect(figures.acceptedWhileDown).toBeGreaterThan(0)
    const report = await compareWithDatabase(db, ledger, electorate.motionIds)
    expect(report).toMatchObject({ missing: 0, stale: 0, extra: 0, overApplied: 0, rows: ledger.newest.size })
    await closeAndVerify(db, service, electorate, ledger)
    console.log('[fault: PostgreSQL restart]', JSON.stringify(figures))

    // "PostgreSQL or Redis being restarted makes the writer retry with backoff, not die" (issue #5).
    expect(writerDeath).toBeNull()
    expect(figures.writerRetries).toBeGreaterThan(0)
    const last = writers.at(-1)!
    last.proc.kill('SIGTERM')
    expect(await last.proc.exited).toBe(0)
  }, 90_000)
})
