import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { inArray, sql } from 'drizzle-orm'
import { votes } from '../../../db/schema/index.ts'
import { createRedisBus, type RedisBus } from '../../bus/redis.ts'
import { silentLogger } from '../../log.ts'
import { createVoteQueue, VOTE_STREAM } from '../queue.ts'
import { createVoteService, type VoteService } from '../service.ts'
import { compareSequence, createVoteWriter, type VoteWriter, WRITER_GROUP } from '../writer.ts'
import {
  castPlanned,
  closeAndVerify,
  compareWithDatabase,
  groupStatus,
  isClean,
  planVotes,
  runPool,
  seedElectorate,
  VoteLedger,
  waitUntil,
} from './harness.ts'
import {
  databaseForFaultTest,
  type FaultDatabase,
  type PrivateRedis,
  startPrivateRedis,
} from './private-servers.ts'

/*
 * Fault test (issue #5): Redis is killed (SIGKILL) and restarted on the same port and directory
 * while votes are being cast and the batch writer is committing.
 *
 * Why a killed Redis loses no accepted vote with `appendonly yes` + `appendfsync everysec`: Redis
 * appends every write (here the effects of the accept script: XADD with its id, HSET) to the AOF
 * buffer, and write()s that buffer to the AOF file in beforeSleep, before it sends the replies of
 * that event-loop iteration. So by the time a caller holds a receipt, the entry is in the kernel's
 * page cache for the file, and the kernel keeps it when the process dies, SIGKILL included. The
 * per-second fsync only decides what an OS crash or power loss can take: about the last second of
 * accepted votes. (One caveat: when the disk is so slow that the previous background fsync is still
 * running, Redis may postpone the write() itself for up to 2 s while it keeps replying; a process
 * crash then could lose those replies' writes. INFO persistence counts it as `aof_delayed_fsync`,
 * which production monitoring should alert on.) `appendfsync always` closes the window at the cost
 * of an fsync per event-loop iteration, i.e. per batch of commands, on the accept path.
 *
 * What a caller sees while Redis is down: the bus uses ioredis with `maxRetriesPerRequest: null`,
 * so a command waits in ioredis's offline queue until the connection is back, and a command that was
 * sent but not answered is resent after the reconnect (`autoResendUnfulfilledCommands`). A cast
 * therefore usually just takes longer; any cast that fails was never acknowledged, so it counts as
 * refused. A resent accept script whose first run had been persisted appends the ballot twice: the
 * caller holds the second sequence, which is the newest, so the upsert keeps exactly that one.
 */

let redis: PrivateRedis | undefined
let database: FaultDatabase | undefined
let bus: RedisBus | undefined
let writer: VoteWriter | undefined
let service: VoteService
const prefix = `faults-redis:${crypto.randomUUID().slice(0, 8)}:`
let redisErrors = 0

beforeAll(async () => {
  redis = await startPrivateRedis()
  database = await databaseForFaultTest()
  bus = createRedisBus({
    url: redis.url,
    prefix,
    onError: () => {
      redisErrors += 1
    },
  })
  service = createVoteService({ db: database.handle.db, bus, queue: createVoteQueue(bus), log: silentLogger })
  writer = createVoteWriter({ bus, db: database.handle.db, log: silentLogger, claimIdleMs: 500 })
}, 60_000)

afterAll(async () => {
  // A writer stuck on a dead Redis must not hold the file open: stop it, bounded.
  await Promise.race([writer?.stop(), Bun.sleep(10_000)])
  await bus?.close().catch(() => {})
  await database?.close()
  await redis?.stop()
}, 60_000)

describe('fault: Redis restarts during ingest', () => {
  it('SIGKILL and restart of Redis (AOF) while votes are cast: every accepted vote survives and is committed exactly once', async () => {
    const db = database!.handle.db
    const client = bus!.client
    const stream = `${prefix}${VOTE_STREAM}`
    const electorate = await seedElectorate(db, service, { units: 1500, motions: 2 })
    const plan = planVotes(electorate, { changes: 1000, seed: 5_0002 })
    const ledger = new VoteLedger()
    writer!.start()

    const figures = {
      votesCast: plan.length,
      accepted: 0,
      /** Casts sent but not answered when Redis died: they wait for the reconnect (or fail). */
      inFlightAtKill: 0,
      refusedAcrossRestart: 0,
      acceptedBeforeKill: 0,
      preKillStillInStream: 0,
      uncommittedAtKill: 0,
      downtimeMs: 0,
      writerErrors: 0,
      redisConnectionErrors: 0,
      streamLengthAtEnd: 0,
      ingestMs: 0,
      catchUpMs: 0,
    }
    let preKill: { key: string; sequence: string }[] = []
    let inFlight = 0
    const killAfter = Math.floor(plan.length / 4)
    const restart = async () => {
      // Only receipts that arrived before the kill: their replies left Redis, so their AOF write happened.
      preKill = [...ledger.receipts]
      figures.acceptedBeforeKill = preKill.length
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(votes)
        .where(inArray(votes.motionId, electorate.motionIds))
      figures.uncommittedAtKill = ledger.newest.size - row!.n
      const downAt = performance.now()
      figures.inFlightAtKill = inFlight
      await redis!.kill()
      await Bun.sleep(1000)
      await redis!.start()
      figures.downtimeMs = Math.round(performance.now() - downAt)
    }

    let restarting: Promise<void> | undefined
    const started = performance.now()
    const chunk = 250
    for (let i = 0; i < plan.length; i += chunk) {
      await runPool(plan.slice(i, i + chunk), 50, async (vote) => {
        // Mid-chunk, so that casts are in flight when Redis dies.
        if (ledger.accepted >= killAfter && !restarting) restarting = restart()
        inFlight += 1
        const outcome = await castPlanned(service, electorate, ledger, vote)
        inFlight -= 1
        if (outcome === 'refused' && restarting !== undefined) figures.refusedAcrossRestart += 1
      })
    }
    await restarting
    figures.ingestMs = Math.round(performance.now() - started)
    figures.accepted = ledger.accepted

    // The AOF kept every entry acknowledged before the kill: each is still in the stream, unless the
    // writer had committed it (or a newer vote of its pair) and then trimmed it (it trims only
    // acknowledged entries, and acknowledges only after the commit).
    const ids = new Set(((await client.xrange(stream, '-', '+')) as [string, string[]][]).map(([id]) => id))
    const committed = new Map(
      (
        await db
          .select({ motionId: votes.motionId, unitId: votes.unitId, sequence: votes.sequence })
          .from(votes)
          .where(inArray(votes.motionId, electorate.motionIds))
      ).map((row) => [`${row.motionId}:${row.unitId}`, row.sequence]),
    )
    const lost = preKill.filter(({ key, sequence }) => {
      if (ids.has(sequence)) return false
      const row = committed.get(key)
      return row === undefined || compareSequence(row, sequence) < 0
    })
    figures.preKillStillInStream = preKill.filter(({ sequence }) => ids.has(sequence)).length
    expect(preKill.length).toBeGreaterThan(0)
    expect(lost).toEqual([])

    figures.catchUpMs = Math.round(
      await waitUntil(
        'the writer to catch up after the Redis restart',
        async () => {
          const status = await groupStatus(client, stream, WRITER_GROUP)
          if (status.pending !== 0 || status.undelivered) return false
          return isClean(await compareWithDatabase(db, ledger, electorate.motionIds))
        },
        {
          timeoutMs: 30_000,
          intervalMs: 100,
          describe: async () =>
            JSON.stringify({
              group: await groupStatus(client, stream, WRITER_GROUP),
              table: await compareWithDatabase(db, ledger, electorate.motionIds),
              writer: writer!.stats,
            }),
        },
      ),
    )
    figures.writerErrors = writer!.stats.errors
    figures.redisConnectionErrors = redisErrors
    figures.streamLengthAtEnd = await client.xlen(stream)

    // Only failures of the infrastructure are acceptable refusals here, never a rule refusal.
    for (const reason of ledger.refusals.keys()) expect(reason).toStartWith('error:')
    expect(ledger.accepted + ledger.refused).toBe(plan.length)
    const report = await compareWithDatabase(db, ledger, electorate.motionIds)
    expect(report).toMatchObject({ missing: 0, stale: 0, extra: 0, overApplied: 0, rows: ledger.newest.size })

    await writer!.stop()
    await closeAndVerify(db, service, electorate, ledger)
    console.log(
      '[fault: Redis restart]',
      JSON.stringify({ ...figures, refusals: Object.fromEntries(ledger.refusals) }),
    )
  }, 90_000)
})
