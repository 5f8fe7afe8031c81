import { describe, expect, it } from 'bun:test'
import { assemblyTopic } from '../core/assemblies/events.ts'
import { loadAssemblySnapshot, refreshLiveCounts } from '../core/assemblies/live-snapshot.ts'
import { silentLogger } from '../core/log.ts'
import { createMotion } from '../core/motions/motions.ts'
import { checkIn, createScenario } from '../core/motions/testing.ts'
import { namedAndSecretMotions, votePathFixture } from '../core/votes/testing.ts'
import { createTallyHub } from './hub.ts'

const world = votePathFixture()

const actor = { userId: null }

describe("the hub's light refresh after committed votes", () => {
  it('gives exactly the snapshot a full reload gives, for named and secret open motions', async () => {
    const { organizationId, assemblyId, named, secret, vote } = await namedAndSecretMotions(world, [
      { number: '1A', coefficient: '40.000000000', present: 'in_person' },
      { number: '2A', coefficient: '35.500000000', present: 'remote' },
      { number: '3A', coefficient: '24.500000000', present: 'remote' },
    ])
    const before = (await loadAssemblySnapshot(world.handle.db, organizationId, assemblyId))!
    await vote(named, '1A', 'yes')
    await vote(named, '2A', 'no')
    await vote(named, '3A', 'yes')
    await vote(secret, '2A', 'abstain')
    await world.writer.drain()

    const light = await refreshLiveCounts(world.handle.db, before, [named, secret])
    const full = await loadAssemblySnapshot(world.handle.db, organizationId, assemblyId)
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
    const scenario = await createScenario(world.handle.db, {
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
    const motion = await createMotion(world.handle.db, {
      organizationId,
      assemblyId,
      actor,
      title: 'Junta',
      options,
      seats: 1,
      secret: true,
    })
    await world.service.open({ organizationId, motionId: motion.id, actor })
    for (const [unit, key] of [
      ['1A', 'ana'],
      ['2A', 'beto'],
      ['3A', 'ana'],
    ] as const) {
      await world.service.cast({
        organizationId,
        motionId: motion.id,
        ballots: [{ unitId: scenario.unit(unit), optionKeys: [key] }],
        actor: { userId: null, personId: scenario.owner(unit) },
        channel: 'api',
      })
    }
    await world.service.close({ organizationId, motionId: motion.id, actor })
    const snapshot = (await loadAssemblySnapshot(world.handle.db, organizationId, assemblyId))!
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
    const scenario = await createScenario(world.handle.db, {
      units: [
        { number: '1A', coefficient: '50.000000000', present: 'in_person' },
        { number: '2A', coefficient: '50.000000000', present: 'remote' },
      ],
    })
    const { organizationId, assemblyId } = scenario
    const motion = await createMotion(world.handle.db, {
      organizationId,
      assemblyId,
      actor,
      title: 'Presupuesto',
    })
    await world.service.open({ organizationId, motionId: motion.id, actor })
    const before = (await loadAssemblySnapshot(world.handle.db, organizationId, assemblyId))!
    await world.service.cast({
      organizationId,
      motionId: motion.id,
      ballots: [{ unitId: scenario.unit('1A'), optionKeys: ['yes'] }],
      actor: { userId: null, personId: scenario.owner('1A') },
      channel: 'api',
    })
    await world.writer.drain()
    expect(await refreshLiveCounts(world.handle.db, before, [crypto.randomUUID()])).toBe(before)
    const after = await refreshLiveCounts(world.handle.db, before, [motion.id])
    expect(after.motions[0]!.voted.units).toBe(1)
  })
})

describe("the hub's reload after other changes", () => {
  it('keeps closed motions and, without an attendance change, the quorum; equals a fresh load when nothing else moved', async () => {
    const scenario = await createScenario(world.handle.db, {
      units: [
        { number: '1A', coefficient: '40.000000000', present: 'in_person' },
        { number: '2A', coefficient: '35.000000000', present: 'remote' },
        { number: '3A', coefficient: '25.000000000' },
      ],
    })
    const { organizationId, assemblyId } = scenario
    const first = await createMotion(world.handle.db, {
      organizationId,
      assemblyId,
      actor,
      title: 'Presupuesto',
    })
    await world.service.open({ organizationId, motionId: first.id, actor })
    await world.service.cast({
      organizationId,
      motionId: first.id,
      ballots: [{ unitId: scenario.unit('1A'), optionKeys: ['yes'] }],
      actor: { userId: null, personId: scenario.owner('1A') },
      channel: 'api',
    })
    await world.writer.drain()
    await world.service.close({ organizationId, motionId: first.id, actor })
    const previous = (await loadAssemblySnapshot(world.handle.db, organizationId, assemblyId))!
    const closedView = previous.motions.find((motion) => motion.id === first.id)!
    expect(closedView.result).not.toBeNull()

    // A motion change: the reload reuses the quorum and the closed motion, and matches a fresh load.
    const second = await createMotion(world.handle.db, {
      organizationId,
      assemblyId,
      actor,
      title: 'Pintura',
    })
    await world.service.open({ organizationId, motionId: second.id, actor })
    const reused = (await loadAssemblySnapshot(world.handle.db, organizationId, assemblyId, {
      previous,
      quorumChanged: false,
    }))!
    expect(reused.quorum).toBe(previous.quorum)
    expect(reused.motions.find((motion) => motion.id === first.id)).toBe(closedView)
    expect(reused).toEqual((await loadAssemblySnapshot(world.handle.db, organizationId, assemblyId))!)
    expect(reused.motions.find((motion) => motion.id === second.id)?.status).toBe('open')

    // An attendance change recomputes the quorum: the reload with quorumChanged sees unit 3A arrive.
    await checkIn(world.handle.db, scenario, '3A', 'in_person')
    const kept = (await loadAssemblySnapshot(world.handle.db, organizationId, assemblyId, {
      previous: reused,
      quorumChanged: false,
    }))!
    expect(kept.quorum.byUnits.present).toBe(2)
    const recomputed = (await loadAssemblySnapshot(world.handle.db, organizationId, assemblyId, {
      previous: reused,
      quorumChanged: true,
    }))!
    expect(recomputed.quorum.byUnits.present).toBe(3)
    expect(recomputed).toEqual((await loadAssemblySnapshot(world.handle.db, organizationId, assemblyId))!)
  })

  it('recomputes the quorum in the hub only for changes that move it', async () => {
    const scenario = await createScenario(world.handle.db, {
      units: [
        { number: '1A', coefficient: '60.000000000', present: 'in_person' },
        { number: '2A', coefficient: '40.000000000' },
      ],
    })
    const published: string[] = []
    const hub = createTallyHub({
      db: world.handle.db,
      bus: world.bus,
      log: silentLogger,
      publish: (_topic, m) => published.push(m),
    })
    await hub.start()
    try {
      await hub.join(scenario.assemblyId)
      // The hub ticks on its own timer too: wait for the reload each announcement causes.
      const announce = async (kinds: string[]) => {
        const reloads = hub.stats.recomputes
        await world.bus.publish(
          assemblyTopic(scenario.assemblyId),
          JSON.stringify({ type: 'changed', kinds }),
        )
        for (let i = 0; i < 200 && hub.stats.recomputes === reloads; i++) await Bun.sleep(10)
      }
      const before = { ...hub.stats }
      await announce(['motion'])
      await announce(['agenda'])
      expect(hub.stats.recomputes - before.recomputes).toBe(2)
      expect(hub.stats.quorumRecomputes - before.quorumRecomputes).toBe(0)
      await checkIn(world.handle.db, scenario, '2A', 'remote')
      await announce(['attendance'])
      expect(hub.stats.quorumRecomputes - before.quorumRecomputes).toBe(1)
      const last = JSON.parse(published.at(-1)!) as { changes: { quorum?: { byUnits: { present: number } } } }
      expect(last.changes.quorum?.byUnits.present).toBe(2)
    } finally {
      await hub.stop()
    }
  })
})
