import { describe, expect, it } from 'bun:test'
import { type AssemblySnapshot, loadAssemblySnapshot } from '../core/assemblies/live-snapshot.ts'
import { silentLogger } from '../core/log.ts'
import { namedAndSecretMotions, votePathFixture } from '../core/votes/testing.ts'
import { COMMITTED_CHANNEL, committedMessage } from '../core/votes/writer.ts'
import { createTallyHub, type TallyHub } from './hub.ts'

const world = votePathFixture()

/** The motions of the hub's current snapshot of an assembly. */
function motionsOf(hub: TallyHub, assemblyId: string): AssemblySnapshot['motions'] {
  const message = hub.snapshotOf(assemblyId)
  if (message?.type !== 'snapshot') throw new Error('no snapshot')
  return message.data.motions
}

describe('live tallies kept from the committed batches', () => {
  it('equal the tally recomputed from the table after re-votes and replays, without a query per tick', async () => {
    const { scenario, organizationId, assemblyId, named, secret, vote } = await namedAndSecretMotions(world, [
      { number: '1A', coefficient: '40.000000000', present: 'in_person' },
      { number: '2A', coefficient: '30.500000000', present: 'remote' },
      { number: '3A', coefficient: '20.000000000', present: 'remote' },
      { number: '4A', coefficient: '9.500000000', present: 'remote' },
    ])
    const published: string[] = []
    // Ticks only when the test calls them.
    const hub = createTallyHub({
      db: world.handle.db,
      bus: world.bus,
      log: silentLogger,
      publish: (_topic, message) => published.push(message),
      coalesceMs: 60_000,
    })
    await hub.start()
    try {
      await hub.join(assemblyId)
      /** Commits what was accepted, lets the hub hear of it, ticks; returns its motions and the table's. */
      const settle = async () => {
        await world.writer.drain()
        const expected = (await loadAssemblySnapshot(world.handle.db, organizationId, assemblyId))!.motions
        for (let i = 0; i < 200; i++) {
          await hub.tick()
          if (Bun.deepEquals(motionsOf(hub, assemblyId), expected)) break
          await Bun.sleep(10)
        }
        return { live: motionsOf(hub, assemblyId), expected }
      }

      await vote(named, '1A', 'yes')
      await vote(named, '2A', 'no')
      await vote(named, '3A', 'yes')
      await vote(secret, '2A', 'abstain')
      let { live, expected } = await settle()
      expect(live).toEqual(expected)
      expect(live.find((motion) => motion.id === named)!.counts).toContainEqual({
        key: 'yes',
        units: 2,
        coefficient: '60.000000000',
      })
      const loads = hub.stats.tallyLoads
      expect(loads).toBe(1)

      // Re-votes: the newest ballot of a unit replaces its earlier one.
      await vote(named, '1A', 'no')
      await vote(named, '2A', 'abstain')
      await vote(named, '4A', 'yes')
      await vote(named, '1A', 'abstain')
      await vote(secret, '2A', 'yes')
      ;({ live, expected } = await settle())
      expect(live).toEqual(expected)
      const namedView = live.find((motion) => motion.id === named)!
      expect(namedView.voted).toEqual({ units: 4, coefficient: '100.000000000' })
      expect(namedView.counts).toEqual([
        { key: 'yes', units: 2, coefficient: '29.500000000' },
        { key: 'no', units: 0, coefficient: '0.000000000' },
        { key: 'abstain', units: 2, coefficient: '70.500000000' },
      ])

      // A batch replayed late (an older ballot of 1A, as a reclaimed batch would carry) changes nothing.
      const [latest] = (await world.queue.latest(named)).filter(
        (ballot) => ballot.unitId === scenario.unit('1A'),
      )
      await world.bus.publish(
        COMMITTED_CHANNEL,
        committedMessage([
          {
            organizationId,
            assemblyId,
            motionId: named,
            unitId: scenario.unit('1A'),
            optionKeys: ['yes'],
            weight: latest!.weight,
            upToDate: true,
            channel: 'api',
            castByUserId: null,
            castByPersonId: scenario.owner('1A'),
            proxyId: null,
            receipt: 'replayed',
            castAt: Date.now(),
            sequence: '1-0',
          },
        ]),
      )
      const countRefreshes = hub.stats.countRefreshes
      for (let i = 0; i < 200 && hub.stats.countRefreshes === countRefreshes; i++) {
        await hub.tick()
        await Bun.sleep(5)
      }
      expect(motionsOf(hub, assemblyId)).toEqual(expected)
      // Every tick since the first read the counts from memory.
      expect(hub.stats.tallyLoads).toBe(loads)
    } finally {
      await hub.stop()
    }
  })
})
