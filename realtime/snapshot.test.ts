import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { createTestBus } from '../core/bus/testing.ts'
import type { Bus } from '../core/bus/types.ts'
import { silentLogger } from '../core/log.ts'
import { createMotion } from '../core/motions/motions.ts'
import { createScenario } from '../core/motions/testing.ts'
import { createVoteQueue } from '../core/votes/queue.ts'
import { createVoteService, type VoteService } from '../core/votes/service.ts'
import { createVoteWriter, type VoteWriter } from '../core/votes/writer.ts'
import type { DatabaseHandle } from '../db/client.ts'
import { organizations } from '../db/schema/index.ts'
import { createTestDatabase } from '../db/testing.ts'
import { loadAssemblySnapshot, refreshLiveCounts } from './snapshot.ts'

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

describe("the hub's light refresh after committed votes", () => {
  it('gives exactly the snapshot a full reload gives, for named and secret open motions', async () => {
    const scenario = await createScenario(handle.db, {
      units: [
        { number: '1A', coefficient: '40.000000000', present: 'in_person' },
        { number: '2A', coefficient: '35.500000000', present: 'remote' },
        { number: '3A', coefficient: '24.500000000', present: 'remote' },
      ],
    })
    const { organizationId, assemblyId } = scenario
    // This PH shows named results while the vote is open (the default seals them until close).
    await handle.db
      .update(organizations)
      .set({ sealNamedResults: false })
      .where(eq(organizations.id, organizationId))
    const open = async (title: string, secret: boolean) => {
      const motion = await createMotion(handle.db, { organizationId, assemblyId, actor, title, secret })
      await service.open({ organizationId, motionId: motion.id, actor })
      return motion.id
    }
    const named = await open('Pintura de fachada', false)
    const secret = await open('Elección secreta', true)
    const before = (await loadAssemblySnapshot(handle.db, organizationId, assemblyId))!
    const vote = (motionId: string, unit: string, option: string) =>
      service.cast({
        organizationId,
        motionId,
        ballots: [{ unitId: scenario.unit(unit), optionKeys: [option] }],
        actor: { userId: null, personId: scenario.owner(unit) },
        channel: 'api',
      })
    await vote(named, '1A', 'yes')
    await vote(named, '2A', 'no')
    await vote(named, '3A', 'yes')
    await vote(secret, '2A', 'abstain')
    await writer.drain()

    const light = await refreshLiveCounts(handle.db, before, [named, secret])
    const full = await loadAssemblySnapshot(handle.db, organizationId, assemblyId)
    expect(light).toEqual(full!)
    const namedView = light.motions.find((motion) => motion.id === named)!
    expect(namedView.voted).toEqual({ units: 3, coefficient: '100.000000000' })
    expect(namedView.counts).toContainEqual({ key: 'yes', units: 2, coefficient: '64.500000000' })
    const secretView = light.motions.find((motion) => motion.id === secret)!
    expect(secretView.counts).toBeNull()
    // Secret motions publish turnout rounded (core/motions/secret-publication.ts).
    expect(secretView.voted).toEqual({ units: 1, coefficient: '35.5' })
  })

  it('shows a closed secret election with who is elected and only the published explanation', async () => {
    const scenario = await createScenario(handle.db, {
      units: [
        { number: '1A', coefficient: '40.123456789', present: 'in_person' },
        { number: '2A', coefficient: '35.500000000', present: 'remote' },
        { number: '3A', coefficient: '24.376543211', present: 'remote' },
      ],
    })
    const { organizationId, assemblyId } = scenario
    const options = ['Ana', 'Beto'].map((label) => ({
      key: label.toLowerCase(),
      label,
      kind: 'choice' as const,
    }))
    const motion = await createMotion(handle.db, {
      organizationId,
      assemblyId,
      actor,
      title: 'Junta',
      options,
      seats: 1,
      secret: true,
    })
    await service.open({ organizationId, motionId: motion.id, actor })
    for (const [unit, key] of [
      ['1A', 'ana'],
      ['2A', 'beto'],
      ['3A', 'ana'],
    ] as const) {
      await service.cast({
        organizationId,
        motionId: motion.id,
        ballots: [{ unitId: scenario.unit(unit), optionKeys: [key] }],
        actor: { userId: null, personId: scenario.owner(unit) },
        channel: 'api',
      })
    }
    await service.close({ organizationId, motionId: motion.id, actor })
    const snapshot = (await loadAssemblySnapshot(handle.db, organizationId, assemblyId))!
    const view = snapshot.motions.find((m) => m.id === motion.id)!
    expect(view.seats).toBe(1)
    expect(view.result?.election?.candidates.map((c) => [c.key, c.elected])).toEqual([
      ['ana', true],
      ['beto', false],
    ])
    // The stored explanation quotes exact weights (64.5 %); the screen gets units only.
    expect(view.result?.explanation).toBe(
      'Ana: 2 unidades; Beto: 1 unidad: 1 puesto. Electo/a: Ana. ' +
        'Votación secreta: cifras redondeadas para no revelar votantes.',
    )
  })

  it('leaves motions it was not told about as they were', async () => {
    const scenario = await createScenario(handle.db, {
      units: [
        { number: '1A', coefficient: '50.000000000', present: 'in_person' },
        { number: '2A', coefficient: '50.000000000', present: 'remote' },
      ],
    })
    const { organizationId, assemblyId } = scenario
    const motion = await createMotion(handle.db, { organizationId, assemblyId, actor, title: 'Presupuesto' })
    await service.open({ organizationId, motionId: motion.id, actor })
    const before = (await loadAssemblySnapshot(handle.db, organizationId, assemblyId))!
    await service.cast({
      organizationId,
      motionId: motion.id,
      ballots: [{ unitId: scenario.unit('1A'), optionKeys: ['yes'] }],
      actor: { userId: null, personId: scenario.owner('1A') },
      channel: 'api',
    })
    await writer.drain()
    expect(await refreshLiveCounts(handle.db, before, [crypto.randomUUID()])).toBe(before)
    const after = await refreshLiveCounts(handle.db, before, [motion.id])
    expect(after.motions[0]!.voted.units).toBe(1)
  })
})
