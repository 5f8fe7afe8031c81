import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq, sql } from 'drizzle-orm'
import { motions, votes } from '../../../db/schema/index.ts'
import { createRedisBus, type RedisBus } from '../../bus/redis.ts'
import { silentLogger } from '../../log.ts'
import type { MotionResult } from '../../motions/results.ts'
import { createVoteQueue, VOTE_STREAM, type VoteQueue } from '../queue.ts'
import { createVoteService, type VoteService } from '../service.ts'
import { createVoteWriter, upsertBallots, type VoteWriter, WRITER_GROUP } from '../writer.ts'
import {
  actor,
  castPlanned,
  compareWithDatabase,
  groupStatus,
  isClean,
  lockVotesTable,
  planVotes,
  runPool,
  seedElectorate,
  VoteLedger,
  verifyResult,
  waitForCommitBlockedOnVotes,
  waitUntil,
} from './harness.ts'
import {
  databaseForFaultTest,
  type FaultDatabase,
  type FaultRedis,
  postgresBinDir,
  redisForFaultTest,
} from './private-servers.ts'

/*
 * Fault test (issue #5): many concurrent casts race the close of a motion, with the batch writer
 * running. The close flips the motion to closed in Redis atomically (the accept script checks the
 * state in the same atomic step), commits the latest ballot of every unit, then computes the result
 * from PostgreSQL. So: a cast that got a receipt is in the result exactly once (its newest vote),
 * a cast refused with motion_not_open is not, and no cast is accepted once the close is acknowledged.
 * Real Redis (Lua atomicity is what is under test): the shared server under a unique prefix in CI,
 * a private one otherwise.
 */

const prefix = `faults-close:${crypto.randomUUID().slice(0, 8)}:`
let database: FaultDatabase | undefined
let redis: FaultRedis | undefined
let bus: RedisBus | undefined
let queue: VoteQueue
let writer: VoteWriter | undefined
let service: VoteService

beforeAll(async () => {
  database = await databaseForFaultTest()
  redis = await redisForFaultTest(prefix)
  bus = createRedisBus({ url: redis.url, prefix })
  queue = createVoteQueue(bus)
  service = createVoteService({ db: database.handle.db, bus, queue: observed(queue), log: silentLogger })
  writer = createVoteWriter({ bus, db: database.handle.db, log: silentLogger, claimIdleMs: 500 })
}, 60_000)

afterAll(async () => {
  await Promise.race([writer?.stop(), Bun.sleep(10_000)])
  await bus?.close().catch(() => {})
  await redis?.close()
  await database?.close()
}, 60_000)

/**
 * What the Redis step saw, per motion: accept scripts are sent on the same connection as the close
 * script, in call order, so Redis runs them in that order. An accept issued after the close was
 * issued must be refused; it is the sharpest form of "no vote accepted after the close".
 */
const closeIssuedAt = new Map<string, number>()
const afterClose = { issued: 0, accepted: 0 }

function observed(inner: VoteQueue): VoteQueue {
  return {
    ...inner,
    accept: async (motionId, ballots, options) => {
      const issuedAfterClose = closeIssuedAt.has(motionId)
      const result = await inner.accept(motionId, ballots, options)
      if (issuedAfterClose) {
        afterClose.issued += 1
        if (result.ok) afterClose.accepted += 1
      }
      return result
    },
    close: (motionId) => {
      closeIssuedAt.set(motionId, performance.now())
      return inner.close(motionId)
    },
  }
}

describe('fault: votes racing a close', () => {
  it('2,000 concurrent casts per motion racing its close: none accepted after the close is acknowledged, every accepted vote counted exactly once, the result equals a recount', async () => {
    const db = database!.handle.db
    const electorate = await seedElectorate(db, service, { units: 1500, motions: 2 })
    const { organizationId } = electorate.scenario
    writer!.start()
    // Close early in the stream of votes on one motion, late on the other.
    const closeAfterAccepted = [300, 1200]
    const rounds: Record<string, number>[] = []

    for (const [round, motionId] of electorate.motionIds.entries()) {
      const ledger = new VoteLedger()
      // 1,500 first votes and 500 changed votes; the last 200 are cast only once the close is acknowledged.
      const plan = planVotes({ ...electorate, motionIds: [motionId] }, { changes: 500, seed: 5_0004 + round })
      const racing = plan.slice(0, plan.length - 200)
      const afterAck = plan.slice(plan.length - 200)
      let closing: Promise<{ result: MotionResult }> | undefined
      let closeCalledAt = 0
      let closeAckAt = Number.POSITIVE_INFINITY
      let lastAcceptedAt = 0
      let startedAfterAck = 0
      let refusedAfterAck = 0
      const cast = async (vote: (typeof plan)[number]) => {
        const startedAt = performance.now()
        const outcome = await castPlanned(service, electorate, ledger, vote)
        if (outcome === 'accepted') lastAcceptedAt = Math.max(lastAcceptedAt, performance.now())
        if (startedAt > closeAckAt) {
          startedAfterAck += 1
          if (outcome === 'refused') refusedAfterAck += 1
        }
        if (!closing && ledger.accepted >= closeAfterAccepted[round]!) {
          closeCalledAt = performance.now()
          closing = service.close({ organizationId, motionId, actor }).then((closed) => {
            closeAckAt = performance.now()
            return closed
          })
        }
      }
      await runPool(racing, 50, cast)
      const { result } = await closing!
      await runPool(afterAck, 50, cast)

      // Only refusals for a closed motion; every cast begun after the acknowledgement was refused,
      // and no receipt was handed out after it.
      expect([...ledger.refusals.keys()].filter((reason) => reason !== 'motion_not_open')).toEqual([])
      expect(startedAfterAck).toBeGreaterThanOrEqual(afterAck.length)
      expect(refusedAfterAck).toBe(startedAfterAck)
      expect(lastAcceptedAt).toBeLessThan(closeAckAt)
      expect(ledger.accepted).toBeGreaterThan(0)
      expect(ledger.refused).toBeGreaterThan(afterAck.length - 1)
      expect(await queue.state(motionId)).toBe('closed')
      expect(afterClose.accepted).toBe(0)
      expect(afterClose.issued).toBeGreaterThan(0)

      // The result stored at the close already counts every accepted vote (the close committed the
      // latest ballots itself), whatever the writer had committed by then.
      await verifyResult(db, organizationId, motionId, result, ledger)

      // The writer's late batches change nothing: same rows, no replay applied twice, same recount.
      await waitUntil(
        'the writer to drain the stream',
        async () => {
          const status = await groupStatus(bus!.client, `${prefix}${VOTE_STREAM}`, WRITER_GROUP)
          return status.pending === 0 && !status.undelivered
        },
        { timeoutMs: 20_000 },
      )
      const report = await compareWithDatabase(db, ledger, [motionId])
      expect(report).toMatchObject({ missing: 0, stale: 0, extra: 0, overApplied: 0 })
      expect(isClean(report)).toBe(true)
      await verifyResult(db, organizationId, motionId, result, ledger)
      const [motion] = await db.select().from(motions).where(eq(motions.id, motionId))
      expect(motion!.status).toBe('closed')

      rounds.push({
        casts: plan.length,
        accepted: ledger.accepted,
        unitsCounted: result.totals.tally.cast.units,
        refusedNotOpen: ledger.refused,
        refusedAfterAck,
        closeMs: Math.round(closeAckAt - closeCalledAt),
        acceptsIssuedAfterCloseIssued: afterClose.issued,
      })
      afterClose.issued = 0
    }
    console.log('[fault: votes racing a close]', JSON.stringify(rounds))
  }, 90_000)

  it('a close reaching Redis between a cast and its append: the cast is in what the close saw, never accepted and lost (deterministic)', async () => {
    // Commands on one Redis connection run in the order they were sent. The close is sent at the very
    // instant the cast hands its ballot to the queue: with the open-check inside the accept script, the
    // accept runs first and the close returns its ballot; with the check done by a round trip of its
    // own before the append, the close lands between the two on every run, and the ballot is appended
    // after the close although the cast was told it was accepted.
    const db = database!.handle.db
    let motionId = ''
    let seenByClose: Promise<{ unitId: string }[]> | null = null
    const racing: VoteQueue = {
      ...queue,
      accept: (id, ballots, options) => {
        const accepted = queue.accept(id, ballots, options)
        if (id === motionId && !seenByClose) seenByClose = queue.close(id)
        return accepted
      },
    }
    const raced = createVoteService({ db, bus: bus!, queue: racing, log: silentLogger })
    const electorate = await seedElectorate(db, raced, { units: 3, motions: 1 })
    const { scenario } = electorate
    const { organizationId } = scenario
    motionId = electorate.motionIds[0]!
    const number = electorate.unitNumbers[0]!
    const outcome = await raced
      .cast({
        organizationId,
        motionId,
        ballots: [{ unitId: scenario.unit(number), optionKeys: ['yes'] }],
        actor: { userId: null, personId: scenario.owner(number) },
        channel: 'api',
      })
      .then(
        () => 'accepted',
        (error: { code?: string }) => error.code ?? String(error),
      )
    expect(seenByClose).not.toBeNull()
    const latest = await seenByClose!
    expect(outcome).toBe('accepted')
    expect(latest.map((ballot) => ballot.unitId)).toEqual([scenario.unit(number)])
    const { result } = await raced.close({ organizationId, motionId, actor })
    expect(result.totals.tally.cast.units).toBe(1)
  })

  it('the close and the batch writer upserting the same units in different orders do not deadlock', async () => {
    // The close commits the latest ballots in the order of the Redis hash (HVALS), the writer in
    // stream order; both run at the same moment whenever votes race a close. Each multi-row upsert
    // locks its rows (or waits on their uncommitted insert) in the order of its VALUES list, so two
    // of them over the same keys in opposite orders deadlock, and PostgreSQL aborts one (40P01):
    // the close fails, or the writer's batch stalls until it is reclaimed. To make the overlap
    // certain rather than a matter of scheduling, both are queued behind a table lock held from psql
    // (so they start at the same instant) and a trigger on this motion's rows slows each row by 2 ms
    // (so neither finishes before the other reaches the rows it holds).
    const db = database!.handle.db
    const electorate = await seedElectorate(db, service, { units: 200, motions: 1 })
    const { scenario } = electorate
    const motionId = electorate.motionIds[0]!
    const [motion] = await db.select().from(motions).where(eq(motions.id, motionId))
    const now = Date.now()
    const ballots = electorate.unitNumbers.map((number, i) => ({
      organizationId: scenario.organizationId,
      assemblyId: motion!.assemblyId,
      motionId,
      unitId: scenario.unit(number),
      optionKeys: ['yes'],
      weight: '0.500000000',
      upToDate: true,
      channel: 'api',
      castByUserId: null,
      castByPersonId: scenario.owner(number),
      proxyId: null,
      receipt: `receipt-${i}`,
      castAt: now,
      sequence: `${now}-${i}`,
    }))
    await db.execute(
      sql.raw(`create function faults_slow_vote() returns trigger language plpgsql as
        $$ begin perform pg_sleep(0.002); return new; end $$;
        create trigger faults_slow_vote before insert on votes for each row
        when (new.motion_id = '${motionId}') execute function faults_slow_vote();`),
    )
    const psql = await lockVotesTable(postgresBinDir(), database!.url)
    let settled: PromiseSettledResult<number>[]
    try {
      const writerOrder = upsertBallots(db, ballots)
      const closeOrder = upsertBallots(db, [...ballots].reverse())
      await waitForCommitBlockedOnVotes(db, 10_000, 2)
      await psql.close()
      settled = await Promise.allSettled([writerOrder, closeOrder])
    } finally {
      await psql.close()
      await db.execute(sql.raw('drop trigger faults_slow_vote on votes; drop function faults_slow_vote();'))
    }
    const failures = settled.flatMap((outcome) => {
      if (outcome.status === 'fulfilled') return []
      const error = outcome.reason as { code?: string; cause?: { code?: string; message?: string } }
      return [`${error.cause?.code ?? error.code}: ${error.cause?.message ?? String(outcome.reason)}`]
    })
    expect(failures).toEqual([])
    const stored = await db.select({ unitId: votes.unitId }).from(votes).where(eq(votes.motionId, motionId))
    expect(stored).toHaveLength(ballots.length)
  }, 60_000)
})
