import { afterAll, describe, expect, it } from 'bun:test'
import { assemblyTopic } from '../assemblies/events.ts'
import { createTestBus } from '../bus/testing.ts'
import { createChangeNotifier } from './notifier.ts'
import {
  type ChangeKind,
  kindVersion,
  membershipVersion,
  readFactsChanges,
  votingFactsVersion,
} from './versions.ts'

const bus = createTestBus()
const changes = createChangeNotifier({ bus })
afterAll(() => bus.close())

/** The PH's versions, to compare before and after a change. */
async function versionsOf(organizationId: string, kind: ChangeKind) {
  return {
    facts: await votingFactsVersion(bus, organizationId),
    membership: await membershipVersion(bus, organizationId),
    kind: await kindVersion(bus, kind, organizationId),
  }
}

describe('createChangeNotifier', () => {
  // Which versions each kind of change moves: the vote path's (facts) and the auth cache's (membership).
  const table: Array<[ChangeKind, { facts: boolean; membership: boolean }]> = [
    ['attendance', { facts: true, membership: false }],
    ['proxy', { facts: true, membership: true }],
    ['roster', { facts: true, membership: false }],
    ['assembly', { facts: true, membership: false }],
    ['membership', { facts: false, membership: true }],
    ['motion', { facts: false, membership: false }],
    ['agenda', { facts: false, membership: false }],
  ]
  for (const [kind, moves] of table) {
    it(`a ${kind} change moves ${JSON.stringify(moves)}`, async () => {
      const organizationId = crypto.randomUUID()
      const before = await versionsOf(organizationId, kind)
      await changes.announce({ organizationId, kinds: [kind], unitIds: [crypto.randomUUID()] })
      const after = await versionsOf(organizationId, kind)
      expect({
        facts: after.facts !== before.facts,
        membership: after.membership !== before.membership,
        kind: after.kind !== before.kind,
      }).toEqual({ ...moves, kind: true })
    })
  }

  it('records what moved the voting facts, for the caches to reload only that', async () => {
    const organizationId = crypto.randomUUID()
    const assemblyId = crypto.randomUUID()
    const unitId = crypto.randomUUID()
    const from = await votingFactsVersion(bus, organizationId)
    await changes.announce({ organizationId, assemblyId, kinds: ['attendance'], unitIds: [unitId] })
    await changes.announce({ organizationId, kinds: ['membership'] })
    await changes.announce({ organizationId, kinds: ['roster'] })
    expect(
      await readFactsChanges(bus, organizationId, from, await votingFactsVersion(bus, organizationId)),
    ).toEqual([
      { assemblyId, kinds: ['attendance'], unitIds: [unitId] },
      { assemblyId: null, kinds: ['roster'], unitIds: null },
    ])
  })

  it('answers "unknown" when a record is missing (the caches then reload everything)', async () => {
    const organizationId = crypto.randomUUID()
    await bus.incr(`votes:facts-version:${organizationId}`)
    expect(await readFactsChanges(bus, organizationId, '0', '1')).toBe('unknown')
    expect(await readFactsChanges(bus, organizationId, '0', '1000')).toBe('unknown')
  })

  it("wakes the assembly's topic, and only for a change of an assembly", async () => {
    const organizationId = crypto.randomUUID()
    const assemblyId = crypto.randomUUID()
    const heard: unknown[] = []
    const off = await bus.subscribe(assemblyTopic(assemblyId), (message) => heard.push(JSON.parse(message)))
    await changes.announce({ organizationId, kinds: ['roster'] })
    await changes.announce({ organizationId, assemblyId, kinds: ['motion'] })
    for (let i = 0; i < 25 && heard.length === 0; i++) await Bun.sleep(20)
    await off()
    expect(heard).toEqual([{ assemblyId, type: 'changed', kinds: ['motion'] }])
  })
})
