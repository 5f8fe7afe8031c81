import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { DatabaseHandle } from '../../db/client.ts'
import { checkIn, checkOut } from './attendance.ts'
import { startAssembly, switchToSecondCall } from './lifecycle.ts'
import { computeQuorum, quorumHistory } from './quorum.ts'
import {
  type AssemblyFixture,
  appErrorOf,
  createAppTestDatabase,
  createAssemblyFixture,
  systemActor,
} from './testing.ts'

let handle: DatabaseHandle

beforeAll(async () => {
  handle = await createAppTestDatabase()
})
afterAll(() => handle.close())

const actor = systemActor
const ids = (fixture: AssemblyFixture) => ({
  organizationId: fixture.organizationId,
  assemblyId: fixture.assembly.id,
})

// A 40 %, B 30 %, C 20 %, D 10 % (D is behind on fees). Owners carry the unit's letter.
function ph(quorumRule: string) {
  return createAssemblyFixture(handle.db, {
    units: [
      ['A', '40', 'Owner A'],
      ['B', '30', 'Owner B'],
      ['C', '20', 'Owner C'],
      ['D', '10', 'Owner D', false],
    ],
    assembly: { quorumRule },
  })
}

async function attend(fixture: AssemblyFixture, letters: string, mode: 'in_person' | 'remote' = 'in_person') {
  for (const letter of letters) {
    await checkIn(handle.db, {
      ...ids(fixture),
      personId: fixture.personIds[`Owner ${letter}`]!,
      mode,
      actor,
    })
  }
}

describe('computeQuorum at first and second call', () => {
  it.each([
    // ley284-ordinary: more than 50 % of the coefficient at first call, at least 30 % at second.
    ['ley284-ordinary', 'first', 'AC', true, '60.0000'],
    ['ley284-ordinary', 'first', 'A', false, '40.0000'],
    ['ley284-ordinary', 'first', 'AD', false, '50.0000'],
    ['ley284-ordinary', 'second', 'B', true, '30.0000'],
    ['ley284-ordinary', 'second', 'CD', true, '30.0000'],
    ['ley284-ordinary', 'second', 'C', false, '20.0000'],
    // Up-to-date units only (A, B, C; 90 % of the coefficient): more than half of them at first call,
    // at least 30 % at second. D counts for nothing.
    ['ley284-up-to-date-units', 'first', 'AB', true, '77.7778'],
    ['ley284-up-to-date-units', 'first', 'AD', false, '44.4444'],
    ['ley284-up-to-date-units', 'second', 'AD', true, '44.4444'],
    ['ley284-up-to-date-units', 'second', 'D', false, '0.0000'],
    // No second call in this rule: never reached there, whoever attends.
    ['half-both-first-call-only', 'first', 'ABC', true, '90.0000'],
  ] as const)(
    '%s at %s call with %s present: reached %p (%s %% of the counted coefficient)',
    async (rule, call, letters, reached, percent) => {
      const fixture = await ph(rule)
      await attend(fixture, letters)
      if (call === 'second') await switchToSecondCall(handle.db, { ...ids(fixture), actor })
      const quorum = await computeQuorum(handle.db, ids(fixture))
      expect([quorum.call, quorum.reached, quorum.byCoefficient.percent]).toEqual([call, reached, percent])
    },
  )

  it('counts units for a units-based rule, only up-to-date ones', async () => {
    const fixture = await ph('ley284-up-to-date-units')
    await attend(fixture, 'AD')
    const quorum = await computeQuorum(handle.db, ids(fixture))
    expect(quorum.byUnits).toEqual({ present: 1, total: 3, percent: '33.3333', met: false })
  })

  it('reports the exact coefficients present and in total', async () => {
    const fixture = await ph('ley284-ordinary')
    await attend(fixture, 'BD')
    const quorum = await computeQuorum(handle.db, ids(fixture))
    expect([quorum.byCoefficient.present, quorum.byCoefficient.total]).toEqual([
      '40.000000000',
      '100.000000000',
    ])
  })

  it('splits the present units into in person and remote', async () => {
    const fixture = await ph('ley284-ordinary')
    await attend(fixture, 'AB')
    await attend(fixture, 'D', 'remote')
    const quorum = await computeQuorum(handle.db, ids(fixture))
    expect([quorum.inPerson, quorum.remote]).toEqual([
      { units: 2, coefficient: '70.000000000' },
      { units: 1, coefficient: '10.000000000' },
    ])
  })

  it('explains why the second call of a first-call-only rule has no quorum', async () => {
    const fixture = await ph('half-both-first-call-only')
    const error = await appErrorOf(() => switchToSecondCall(handle.db, { ...ids(fixture), actor }))
    expect(error.code).toBe('second_call_not_allowed')
  })

  it('answers 404 for an assembly of another PH', async () => {
    const fixture = await ph('ley284-ordinary')
    const other = await ph('ley284-ordinary')
    const error = await appErrorOf(() =>
      computeQuorum(handle.db, { organizationId: other.organizationId, assemblyId: fixture.assembly.id }),
    )
    expect(error.status).toBe(404)
  })
})

describe('the quorum log', () => {
  it('grows with every check-in and check-out, in order', async () => {
    const fixture = await ph('ley284-ordinary')
    await attend(fixture, 'A')
    await attend(fixture, 'C')
    await checkOut(handle.db, { ...ids(fixture), unitIds: [fixture.unitIds.C!], actor })
    const history = await quorumHistory(handle.db, ids(fixture))
    expect(history.map((entry) => [entry.presentCoefficient, entry.presentUnits, entry.reached])).toEqual([
      ['40.000000000', 1, false],
      ['60.000000000', 2, true],
      ['40.000000000', 1, false],
    ])
  })

  it('records the call and the start of the meeting', async () => {
    const fixture = await ph('ley284-ordinary')
    await attend(fixture, 'B')
    await switchToSecondCall(handle.db, { ...ids(fixture), actor })
    await startAssembly(handle.db, { ...ids(fixture), actor })
    const history = await quorumHistory(handle.db, ids(fixture))
    expect(history.map((entry) => [entry.call, entry.reached])).toEqual([
      ['first', false],
      ['second', true],
      ['second', true],
    ])
  })

  it('records in-person and remote units', async () => {
    const fixture = await ph('ley284-ordinary')
    await attend(fixture, 'A')
    await attend(fixture, 'B', 'remote')
    const last = (await quorumHistory(handle.db, ids(fixture))).at(-1)
    expect([last?.inPersonUnits, last?.remoteUnits, last?.totalUnits]).toEqual([1, 1, 4])
  })

  it('is not written by computeQuorum', async () => {
    const fixture = await ph('ley284-ordinary')
    await computeQuorum(handle.db, ids(fixture))
    expect(await quorumHistory(handle.db, ids(fixture))).toEqual([])
  })
})
