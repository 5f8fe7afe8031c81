import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { DatabaseHandle } from '../../db/client.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { checkIn, checkOut } from '../assemblies/attendance.ts'
import { registerProxy, revokeProxy } from '../assemblies/proxies.ts'
import { createAssemblyFixture } from '../assemblies/testing.ts'
import { createTestBus } from '../bus/testing.ts'
import type { Bus } from '../bus/types.ts'
import { type ChangeNotifier, createChangeNotifier } from '../changes/notifier.ts'
import { type FactsChangeRecord, markVotingFactsChanged } from '../changes/versions.ts'
import { AppError } from '../errors.ts'
import { setUnitOwners } from '../ph/ownerships.ts'
import { systemActor } from '../ph/testing.ts'
import { setUnitsUpToDate } from '../ph/units.ts'
import { type AssemblyFacts, createVotingFactsCache, planFactsUpdate } from './facts-cache.ts'

let handle: DatabaseHandle
let bus: Bus
let changes: ChangeNotifier

beforeAll(async () => {
  handle = await createTestDatabase()
  bus = createTestBus()
  changes = createChangeNotifier({ bus })
})
afterAll(async () => {
  await bus.close()
  await handle.close()
})

const A = '00000000-0000-4000-8000-00000000000a'
const B = '00000000-0000-4000-8000-00000000000b'
const record = (change: Partial<FactsChangeRecord>): FactsChangeRecord => ({
  assemblyId: null,
  kinds: [],
  unitIds: null,
  ...change,
})

describe('planFactsUpdate', () => {
  const cases: Array<[string, FactsChangeRecord[], ReturnType<typeof planFactsUpdate>]> = [
    ['nothing changed', [], { kind: 'none' }],
    [
      'a check-in reloads its units',
      [record({ assemblyId: A, kinds: ['attendance'], unitIds: ['u1', 'u2'] })],
      { kind: 'partial', assemblyStatus: false, unitIds: new Set(['u1', 'u2']) },
    ],
    [
      "another assembly's check-in and proxies change nothing here",
      [record({ assemblyId: B, kinds: ['attendance', 'proxy'], unitIds: ['u1'] })],
      { kind: 'none' },
    ],
    [
      'a status change reloads the status only',
      [record({ assemblyId: A, kinds: ['assembly'] })],
      { kind: 'partial', assemblyStatus: true, unitIds: new Set() },
    ],
    [
      'changes add up',
      [
        record({ assemblyId: A, kinds: ['proxy'], unitIds: ['u1'] }),
        record({ kinds: ['roster'], unitIds: ['u3'] }),
        record({ assemblyId: A, kinds: ['assembly'] }),
      ],
      { kind: 'partial', assemblyStatus: true, unitIds: new Set(['u1', 'u3']) },
    ],
    [
      'a roster change without units reloads everything',
      [record({ assemblyId: A, kinds: ['attendance'], unitIds: ['u1'] }), record({ kinds: ['roster'] })],
      { kind: 'full' },
    ],
    [
      'a change naming no units reloads everything',
      [record({ assemblyId: A, kinds: ['attendance'] })],
      { kind: 'full' },
    ],
  ]
  for (const [name, records, expected] of cases) {
    it(name, () => expect(planFactsUpdate(A, records)).toEqual(expected))
  }
})

/** A comparable view of an assembly's facts (the map's order is how units were loaded). */
function comparable(facts: AssemblyFacts) {
  return {
    version: facts.version,
    assemblyStatus: facts.assemblyStatus,
    units: [...facts.units.values()].sort((a, b) => a.unitId.localeCompare(b.unitId)),
  }
}

/** A small deterministic random source, so a failure can be replayed from its seed. */
function randomSource(seed: number) {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  return { next, pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]! }
}

describe('the voting facts cache', () => {
  it('keeps its facts through a membership change (nothing is reloaded)', async () => {
    const ph = await createAssemblyFixture(handle.db, {
      units: [
        ['1', '60', 'Ana'],
        ['2', '40', 'Beto'],
      ],
      status: 'in_progress',
    })
    const cache = createVotingFactsCache({ db: handle.db, bus })
    const before = await cache.current(ph.organizationId, ph.assembly.id)
    await changes.announce({ organizationId: ph.organizationId, kinds: ['membership'] })
    expect(await cache.current(ph.organizationId, ph.assembly.id)).toBe(before)
  })

  it('sees a check-in at once, reloading only that unit', async () => {
    const ph = await createAssemblyFixture(handle.db, {
      units: [
        ['1', '60', 'Ana'],
        ['2', '40', 'Beto'],
      ],
      status: 'in_progress',
    })
    const cache = createVotingFactsCache({ db: handle.db, bus })
    const before = await cache.current(ph.organizationId, ph.assembly.id)
    expect(before.units.get(ph.unitIds['1']!)?.present).toBe(false)
    await checkIn(
      handle.db,
      {
        organizationId: ph.organizationId,
        assemblyId: ph.assembly.id,
        personId: ph.personIds.Ana!,
        mode: 'remote',
        actor: systemActor,
      },
      { changes },
    )
    const after = await cache.current(ph.organizationId, ph.assembly.id)
    expect(after.units.get(ph.unitIds['1']!)?.present).toBe(true)
    // The other unit's facts are the very same object: it was not loaded again.
    expect(after.units.get(ph.unitIds['2']!)).toBe(before.units.get(ph.unitIds['2']!)!)
  })

  it('after any sequence of changes holds the same facts as a full reload', async () => {
    const seed = Number(process.env.FACTS_SEED ?? Date.now() % 100_000)
    const random = randomSource(seed)
    const numbers = Array.from({ length: 10 }, (_, i) => String(i + 1))
    const ph = await createAssemblyFixture(handle.db, {
      units: numbers.map((n) => [n, '10', `Dueño ${n}`, Number(n) % 3 !== 0] as const),
      status: 'in_progress',
    })
    const scope = { organizationId: ph.organizationId, assemblyId: ph.assembly.id }
    const owners = numbers.map((n) => ph.personIds[`Dueño ${n}`]!)
    const activeProxies: string[] = []
    const steps: Array<() => Promise<unknown>> = [
      () =>
        checkIn(
          handle.db,
          {
            ...scope,
            personId: random.pick(owners),
            mode: random.pick(['remote', 'in_person'] as const),
            actor: systemActor,
          },
          { changes },
        ),
      () => checkOut(handle.db, { ...scope, personId: random.pick(owners), actor: systemActor }, { changes }),
      async () => {
        const proxy = await registerProxy(
          handle.db,
          {
            ...scope,
            grantorUnitId: ph.unitIds[random.pick(numbers)]!,
            holder: { personId: random.pick(owners) },
            actor: systemActor,
          },
          { changes },
        )
        activeProxies.push(proxy.id)
      },
      () =>
        revokeProxy(
          handle.db,
          {
            ...scope,
            proxyId: activeProxies.pop() ?? crypto.randomUUID(),
            reason: 'prueba',
            actor: systemActor,
          },
          { changes },
        ),
      () =>
        setUnitsUpToDate(
          handle.db,
          {
            organizationId: ph.organizationId,
            units: [random.pick(numbers)],
            upToDate: random.next() < 0.5,
            actor: systemActor,
          },
          { changes },
        ),
      () =>
        setUnitOwners(
          handle.db,
          {
            organizationId: ph.organizationId,
            unitId: ph.unitIds[random.pick(numbers)]!,
            owners: [{ personId: random.pick(owners), isRepresentative: true }],
            actor: systemActor,
          },
          { changes },
        ),
      // A change announced without saying what: the cache must fall back to a full reload.
      () => markVotingFactsChanged(bus, ph.organizationId),
    ]
    const cache = createVotingFactsCache({ db: handle.db, bus })
    await cache.current(ph.organizationId, ph.assembly.id)
    for (let step = 0; step < 40; step++) {
      // Several changes may land between two reads.
      const burst = 1 + Math.floor(random.next() * 3)
      for (let i = 0; i < burst; i++) {
        try {
          await random.pick(steps)()
        } catch (error) {
          // Refusals by the rules (already checked in, proxy exists, holder owns the unit…) are fine.
          if (!(error instanceof AppError)) throw error
        }
      }
      const incremental = await cache.current(ph.organizationId, ph.assembly.id)
      const full = await createVotingFactsCache({ db: handle.db, bus }).current(
        ph.organizationId,
        ph.assembly.id,
      )
      expect({ seed, step, ...comparable(incremental) }).toEqual({ seed, step, ...comparable(full) })
    }
    // The comparison above is only worth something if the partial path ran.
    expect(cache.reloads.partial).toBeGreaterThan(10)
  })
})
