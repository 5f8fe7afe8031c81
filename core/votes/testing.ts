import { afterAll, beforeAll } from 'bun:test'
import { eq } from 'drizzle-orm'
import type { DatabaseHandle } from '../../db/client.ts'
import { organizations } from '../../db/schema/index.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { createTestBus } from '../bus/testing.ts'
import type { Bus } from '../bus/types.ts'
import { silentLogger } from '../log.ts'
import { createMotion } from '../motions/motions.ts'
import { createScenario, type Scenario, type ScenarioUnit } from '../motions/testing.ts'
import { createVoteQueue, type VoteQueue } from './queue.ts'
import { createVoteService, type VoteService } from './service.ts'
import { createVoteWriter, type VoteWriter } from './writer.ts'

/**
 * For a test file about votes: before its tests, the vote path as production wires it (service →
 * queue on the bus → writer, batches of at most 5 ms) over a test database and bus; after them, all
 * stopped. The fields are set once the file's `beforeAll` hooks have run.
 */
export function votePathFixture() {
  const fixture = {} as {
    handle: DatabaseHandle
    bus: Bus
    queue: VoteQueue
    service: VoteService
    writer: VoteWriter
  }
  beforeAll(async () => {
    fixture.handle = await createTestDatabase()
    fixture.bus = createTestBus()
    fixture.queue = createVoteQueue(fixture.bus)
    fixture.service = createVoteService({
      db: fixture.handle.db,
      bus: fixture.bus,
      queue: fixture.queue,
      log: silentLogger,
    })
    fixture.writer = createVoteWriter({
      bus: fixture.bus,
      db: fixture.handle.db,
      log: silentLogger,
      maxWaitMs: 5,
    })
  })
  afterAll(async () => {
    await fixture.writer?.stop()
    await fixture.bus?.close()
    await fixture.handle?.close()
  })
  return fixture
}

type VotePath = ReturnType<typeof votePathFixture>

/** A PH of `count` equal units (U1, U2, …), all present unless told, and an open motion (simple majority). */
export async function openEqualUnits(
  world: VotePath,
  count = 4,
  present = true,
): Promise<{ scenario: Scenario; motionId: string }> {
  const actor = { userId: null }
  const coefficient = (100 / count).toFixed(9)
  const list = Array.from({ length: count }, (_, i) => ({
    number: `U${i + 1}`,
    coefficient: i === count - 1 ? (100 - Number(coefficient) * (count - 1)).toFixed(9) : coefficient,
    present: present ? ('remote' as const) : (false as const),
  }))
  const scenario = await createScenario(world.handle.db, { units: list })
  const motion = await createMotion(world.handle.db, {
    organizationId: scenario.organizationId,
    assemblyId: scenario.assemblyId,
    actor,
    title: 'Moción de prueba',
    requiresQuorum: false,
  })
  await world.service.open({ organizationId: scenario.organizationId, motionId: motion.id, actor })
  return { scenario, motionId: motion.id }
}

/**
 * For tally tests: a PH of the given present units that shows named results while a vote is open,
 * one named and one secret motion open, and `vote` casting one unit's ballot through the vote service.
 */
export async function namedAndSecretMotions(world: VotePath, units: readonly ScenarioUnit[]) {
  const scenario = await createScenario(world.handle.db, { units })
  const { organizationId, assemblyId } = scenario
  const actor = { userId: null }
  // The default seals named results until the close.
  await world.handle.db
    .update(organizations)
    .set({ sealNamedResults: false })
    .where(eq(organizations.id, organizationId))
  const open = async (title: string, secret: boolean) => {
    const motion = await createMotion(world.handle.db, { organizationId, assemblyId, actor, title, secret })
    await world.service.open({ organizationId, motionId: motion.id, actor })
    return motion.id
  }
  const named = await open('Pintura de fachada', false)
  const secret = await open('Elección secreta', true)
  const vote = (motionId: string, unit: string, option: string) =>
    world.service.cast({
      organizationId,
      motionId,
      ballots: [{ unitId: scenario.unit(unit), optionKeys: [option] }],
      actor: { userId: null, personId: scenario.owner(unit) },
      channel: 'api',
    })
  return { scenario, organizationId, assemblyId, named, secret, vote }
}
