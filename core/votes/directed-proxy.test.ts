import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import type { DatabaseHandle } from '../../db/client.ts'
import { votes } from '../../db/schema/index.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { createTestBus } from '../bus/testing.ts'
import type { Bus } from '../bus/types.ts'
import { AppError } from '../errors.ts'
import { silentLogger } from '../log.ts'
import { createMotion } from '../motions/motions.ts'
import { addPerson, addProxy, checkIn, createScenario, type Scenario } from '../motions/testing.ts'
import { createVoteQueue } from './queue.ts'
import { createVoteService, markVotingFactsChanged, type VoteService } from './service.ts'
import { createVoteWriter, type VoteWriter } from './writer.ts'

/* A directed proxy (the owner chose the vote per motion) binds its holder on the vote path. */

let handle: DatabaseHandle
let bus: Bus
let service: VoteService
let writer: VoteWriter

beforeAll(async () => {
  handle = await createTestDatabase()
  bus = createTestBus()
  service = createVoteService({ db: handle.db, bus, queue: createVoteQueue(bus), log: silentLogger })
  writer = createVoteWriter({ bus, db: handle.db, log: silentLogger, maxWaitMs: 5 })
})
afterAll(async () => {
  await writer.stop()
  await bus.close()
  await handle.close()
})

const actor = { userId: null }

/** Two open motions; U2's proxy is held by a non-owner, directed 'no' on the first motion only. */
async function directedScenario(status: 'active' | 'pending' = 'active') {
  const scenario: Scenario = await createScenario(handle.db, {
    units: [
      { number: 'U1', coefficient: '50', present: 'remote' },
      { number: 'U2', coefficient: '50', present: false },
    ],
  })
  const motion = async (title: string) => {
    const created = await createMotion(handle.db, {
      organizationId: scenario.organizationId,
      assemblyId: scenario.assemblyId,
      actor,
      title,
      requiresQuorum: false,
    })
    await service.open({ organizationId: scenario.organizationId, motionId: created.id, actor })
    return created.id
  }
  const directed = await motion('Presupuesto 2027')
  const free = await motion('Pintar la fachada')
  const holder = await addPerson(handle.db, scenario, 'Apoderado dirigido')
  const proxyId = await addProxy(handle.db, scenario, {
    unitNumber: 'U2',
    holderPersonId: holder,
    instructions: { [directed]: 'no' },
    status,
  })
  if (status === 'active') await checkIn(handle.db, scenario, 'U2', 'remote', { personId: holder })
  else await checkIn(handle.db, scenario, 'U2', 'remote')
  await markVotingFactsChanged(bus, scenario.organizationId)
  const cast = (motionId: string, option: string, personId = holder) =>
    service.cast({
      organizationId: scenario.organizationId,
      motionId,
      ballots: [{ unitId: scenario.unit('U2'), optionKeys: [option] }],
      actor: { userId: null, personId },
      channel: 'api',
    })
  return { scenario, directed, free, holder, proxyId, cast }
}

const refusalOf = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: AppError) => {
      expect(error).toBeInstanceOf(AppError)
      return { status: error.status, details: error.details }
    },
  )

describe('directed proxies on the vote path', () => {
  it('refuses the holder any other choice than the directed one, and records the directed one', async () => {
    const { directed, cast, proxyId } = await directedScenario()
    const refused = await refusalOf(cast(directed, 'yes'))
    expect(refused).toMatchObject({ status: 403, details: { rejected: [{ code: 'proxy_directed' }] } })
    expect(await refusalOf(cast(directed, 'abstain'))).toMatchObject({ status: 403 })
    const accepted = await cast(directed, 'no')
    expect(accepted.votes).toEqual([expect.objectContaining({ role: 'proxy', proxyId })])
    await writer.drain()
    const stored = await handle.db.select().from(votes).where(eq(votes.motionId, directed))
    expect(stored.map((row) => row.optionKeys)).toEqual([['no']])
  })

  it('leaves the holder free on a motion the owner gave no instruction for', async () => {
    const { free, cast } = await directedScenario()
    expect((await cast(free, 'yes')).votes).toHaveLength(1)
  })

  it('gives a proxy awaiting approval no power: the owner still votes the unit', async () => {
    const { scenario, directed, cast } = await directedScenario('pending')
    expect(await refusalOf(cast(directed, 'no'))).toMatchObject({
      details: { rejected: [{ code: 'not_authorized' }] },
    })
    expect((await cast(directed, 'yes', scenario.owner('U2'))).votes).toHaveLength(1)
  })
})
