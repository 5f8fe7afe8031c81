import { describe, expect, it } from 'bun:test'
import { and, eq, sql } from 'drizzle-orm'
import { motions, votes } from '../../db/schema/index.ts'
import { votingFactsVersionKey } from '../changes/versions.ts'
import { AppError } from '../errors.ts'
import { silentLogger } from '../log.ts'
import { createMotion } from '../motions/motions.ts'
import { recountMotion } from '../motions/results.ts'
import { addPerson, addProxy, checkIn, checkOut, createScenario, type Scenario } from '../motions/testing.ts'
import { createVoteQueue } from './queue.ts'
import { createVoteService, markVotingFactsChanged } from './service.ts'
import { openEqualUnits, votePathFixture } from './testing.ts'
import { createVoteWriter, upsertBallots } from './writer.ts'

const world = votePathFixture()

const actor = { userId: null }

const openScenario = (count = 4, present = true) => openEqualUnits(world, count, present)

const vote = (scenario: Scenario, motionId: string, unit: string, option = 'yes') =>
  world.service.cast({
    organizationId: scenario.organizationId,
    motionId,
    ballots: [{ unitId: scenario.unit(unit), optionKeys: [option] }],
    actor: { userId: null, personId: scenario.owner(unit) },
    channel: 'api',
  })

const storedVotes = (motionId: string) =>
  world.handle.db.select().from(votes).where(eq(votes.motionId, motionId))

describe('accepting votes', () => {
  it('returns a receipt at once and commits through the batch writer', async () => {
    const { scenario, motionId } = await openScenario()
    const accepted = await vote(scenario, motionId, 'U1')
    expect(accepted.votes[0]!.receiptCode).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/)
    expect(await storedVotes(motionId)).toHaveLength(0)
    await world.writer.drain()
    const rows = await storedVotes(motionId)
    expect(rows).toHaveLength(1)
    expect(rows[0]!.receipt).toBe(accepted.votes[0]!.receiptHash)
  })

  it('keeps the newest vote of a unit, whatever order the replays come in', async () => {
    const { scenario, motionId } = await openScenario()
    await vote(scenario, motionId, 'U1', 'yes')
    await vote(scenario, motionId, 'U1', 'no')
    await world.writer.drain()
    const latest = await world.queue.latest(motionId)
    // Replaying an older ballot (e.g. a reclaimed batch) must not bring the first choice back.
    const older = { ...latest[0]!, optionKeys: ['yes'], sequence: '1-0' }
    await upsertBallots(world.handle.db, [older])
    const [row] = await storedVotes(motionId)
    expect(row!.optionKeys).toEqual(['no'])
  })

  it('refuses a unit that is not checked in, and accepts it once the facts change is announced', async () => {
    const { scenario, motionId } = await openScenario(4, false)
    const refused = await vote(scenario, motionId, 'U2').catch((error) => error)
    expect(refused).toBeInstanceOf(AppError)
    expect((refused as AppError).details).toMatchObject({ rejected: [{ code: 'not_present' }] })
    await checkIn(world.handle.db, scenario, 'U2', 'remote')
    await markVotingFactsChanged(world.bus, scenario.organizationId)
    expect((await vote(scenario, motionId, 'U2')).votes).toHaveLength(1)
  })

  it('refuses a proxy holder for a unit nobody checked in, and accepts once the holder checks it in', async () => {
    const { scenario, motionId } = await openScenario(4, false)
    const holder = await addPerson(world.handle.db, scenario, 'Apoderada de U3')
    const proxyId = await addProxy(world.handle.db, scenario, { unitNumber: 'U3', holderPersonId: holder })
    await markVotingFactsChanged(world.bus, scenario.organizationId)
    const byHolder = () =>
      world.service.cast({
        organizationId: scenario.organizationId,
        motionId,
        ballots: [{ unitId: scenario.unit('U3'), optionKeys: ['no'] }],
        actor: { userId: null, personId: holder },
        channel: 'api',
      })
    const refused = await byHolder().catch((error: AppError) => error)
    expect(refused).toBeInstanceOf(AppError)
    expect((refused as AppError).details).toMatchObject({ rejected: [{ code: 'not_present' }] })
    await checkIn(world.handle.db, scenario, 'U3', 'in_person', { personId: holder })
    await markVotingFactsChanged(world.bus, scenario.organizationId)
    expect((await byHolder()).votes).toEqual([expect.objectContaining({ role: 'proxy', proxyId })])
  })

  it('refuses a vote decided on cached facts that a change made stale, without any read before the accept step', async () => {
    const { scenario, motionId } = await openScenario()
    // Warm the service's cached facts with a first vote, then check the unit out behind its back.
    expect((await vote(scenario, motionId, 'U1')).votes).toHaveLength(1)
    await checkOut(world.handle.db, scenario, 'U1')
    await markVotingFactsChanged(world.bus, scenario.organizationId)
    const refused = await vote(scenario, motionId, 'U1').catch((error) => error)
    expect(refused).toBeInstanceOf(AppError)
    expect((refused as AppError).details).toMatchObject({ rejected: [{ code: 'not_present' }] })
    // The ballot of the first vote is the one that stays.
    await world.writer.drain()
    expect(await storedVotes(motionId)).toHaveLength(1)
  })

  it('the accept step appends nothing when the facts version moved since the decision', async () => {
    const { scenario, motionId } = await openScenario()
    const key = votingFactsVersionKey(scenario.organizationId)
    const before = (await world.bus.get(key)) ?? '0'
    const [ballot] = await world.queue.latest(motionId)
    expect(ballot).toBeUndefined()
    const accepted = await vote(scenario, motionId, 'U1')
    const queued = (await world.queue.latest(motionId))[0]!
    await markVotingFactsChanged(world.bus, scenario.organizationId)
    const stale = await world.queue.accept(motionId, [{ ...queued, optionKeys: ['no'] }], {
      facts: { key, version: before },
    })
    expect(stale).toEqual({ ok: false, reason: 'stale_facts', version: String(Number(before) + 1) })
    const latest = await world.queue.latest(motionId)
    expect(latest).toHaveLength(1)
    expect(latest[0]!.optionKeys).toEqual(['yes'])
    expect(latest[0]!.receipt).toBe(accepted.votes[0]!.receiptHash)
  })

  it('refuses someone voting for a unit they do not represent', async () => {
    const { scenario, motionId } = await openScenario()
    const refused = await world.service
      .cast({
        organizationId: scenario.organizationId,
        motionId,
        ballots: [{ unitId: scenario.unit('U1'), optionKeys: ['yes'] }],
        actor: { userId: null, personId: scenario.owner('U2') },
        channel: 'api',
      })
      .catch((error: AppError) => error)
    expect((refused as AppError).status).toBe(403)
  })
})

describe('closing', () => {
  it('accepts no vote after the close, and the result equals a recount', async () => {
    const { scenario, motionId } = await openScenario(6)
    for (const unit of ['U1', 'U2', 'U3']) await vote(scenario, motionId, unit)
    await vote(scenario, motionId, 'U4', 'no')
    const { result } = await world.service.close({ organizationId: scenario.organizationId, motionId, actor })
    const late = await vote(scenario, motionId, 'U5').catch((error: AppError) => error)
    expect((late as AppError).code).toBe('motion_not_open')
    const recount = await recountMotion(world.handle.db, {
      organizationId: scenario.organizationId,
      motionId,
    })
    expect(recount.matches).toBe(true)
    expect(result.outcome).toBe('approved')
    expect(await storedVotes(motionId)).toHaveLength(4)
  })

  it('counts every vote accepted before a racing close exactly once, and none after', async () => {
    const count = 60
    const { scenario, motionId } = await openScenario(count)
    const attempts = Array.from({ length: count }, (_, i) =>
      (async () => {
        await Bun.sleep(i % 10)
        return vote(scenario, motionId, `U${i + 1}`)
          .then(() => `U${i + 1}`)
          .catch((error: AppError) => {
            if (error.code !== 'motion_not_open') throw error
            return null
          })
      })(),
    )
    await Bun.sleep(4)
    const closing = world.service.close({ organizationId: scenario.organizationId, motionId, actor })
    const accepted = (await Promise.all(attempts)).filter((unit): unit is string => unit !== null)
    await closing
    // Stray writer batches after the close change nothing: the closer committed them already.
    await world.writer.drain()
    const stored = await storedVotes(motionId)
    expect(stored.map((row) => row.unitId).sort()).toEqual(accepted.map((unit) => scenario.unit(unit)).sort())
    const recount = await recountMotion(world.handle.db, {
      organizationId: scenario.organizationId,
      motionId,
    })
    expect(recount.matches).toBe(true)
    const [motion] = await world.handle.db.select().from(motions).where(eq(motions.id, motionId))
    expect(motion!.status).toBe('closed')
  })

  it('reopens the queue from the database when its state was lost', async () => {
    const { scenario, motionId } = await openScenario()
    // A restart: Redis lost the key, or the in-process queue is a new, empty one.
    await world.bus.del(`votes:motion:${motionId}:state`)
    const restarted = createVoteService({
      db: world.handle.db,
      bus: world.bus,
      queue: createVoteQueue(world.bus),
      log: silentLogger,
    })
    const accepted = await restarted.cast({
      organizationId: scenario.organizationId,
      motionId,
      ballots: [{ unitId: scenario.unit('U1'), optionKeys: ['yes'] }],
      actor: { userId: null, personId: scenario.owner('U1') },
      channel: 'api',
    })
    expect(accepted.votes).toHaveLength(1)
  })
})

describe('the batch writer', () => {
  it('stores every field of a ballot exactly, and replaces it only with a newer one (revision counted)', async () => {
    const { scenario, motionId } = await openScenario()
    const base = {
      organizationId: scenario.organizationId,
      assemblyId: scenario.assemblyId,
      motionId,
      unitId: scenario.unit('U3'),
      optionKeys: ['yes', 'opción "b"'],
      weight: '12.345678901',
      upToDate: false,
      channel: 'telegram',
      castByUserId: null,
      castByPersonId: scenario.owner('U3'),
      proxyId: null,
      receipt: 'r-1',
      castAt: Date.parse('2026-03-01T14:05:06.789Z'),
    }
    await upsertBallots(world.handle.db, [{ ...base, sequence: '1700000000000-5' }])
    await upsertBallots(world.handle.db, [{ ...base, receipt: 'r-old', sequence: '1700000000000-4' }])
    let [row] = await storedVotes(motionId)
    expect(row).toMatchObject({
      unitId: base.unitId,
      organizationId: base.organizationId,
      optionKeys: ['yes', 'opción "b"'],
      weight: '12.345678901',
      upToDate: false,
      channel: 'telegram',
      castByUserId: null,
      castByPersonId: base.castByPersonId,
      proxyId: null,
      receipt: 'r-1',
      sequence: '1700000000000-5',
      revision: 1,
    })
    expect(row!.castAt.toISOString()).toBe('2026-03-01T14:05:06.789Z')
    await upsertBallots(world.handle.db, [
      { ...base, optionKeys: ['no'], upToDate: true, receipt: 'r-2', sequence: '1700000000001-0' },
    ])
    ;[row] = await storedVotes(motionId)
    expect(row).toMatchObject({ optionKeys: ['no'], upToDate: true, receipt: 'r-2', revision: 2 })
  })

  it('takes over the entries a dead writer left pending', async () => {
    const { scenario, motionId } = await openScenario()
    await vote(scenario, motionId, 'U3')
    // A writer that reads and dies before acknowledging.
    await world.bus.ensureGroup('votes:stream', 'vote-writers')
    const taken = await world.bus.readGroup('votes:stream', 'vote-writers', 'dead-world.writer', {
      count: 100,
      blockMs: 0,
    })
    expect(taken.length).toBeGreaterThan(0)
    expect(await storedVotes(motionId)).toHaveLength(0)
    const rescuer = createVoteWriter({
      bus: world.bus,
      db: world.handle.db,
      log: silentLogger,
      claimIdleMs: 10,
    })
    await Bun.sleep(30)
    await rescuer.drain()
    expect(rescuer.stats.claimed).toBeGreaterThan(0)
    expect(await storedVotes(motionId)).toHaveLength(1)
    expect(await world.bus.pendingCount('votes:stream', 'vote-writers')).toBe(0)
  })

  it('commits continuously in the background', async () => {
    const { scenario, motionId } = await openScenario()
    world.writer.start()
    await vote(scenario, motionId, 'U4')
    for (let i = 0; i < 100 && (await storedVotes(motionId)).length === 0; i++) await Bun.sleep(10)
    await world.writer.stop()
    const [row] = await world.handle.db
      .select({ n: sql<number>`count(*)::int` })
      .from(votes)
      .where(and(eq(votes.motionId, motionId), eq(votes.unitId, scenario.unit('U4'))))
    expect(row!.n).toBe(1)
  })
})
