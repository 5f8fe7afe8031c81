import { describe, expect, it } from 'bun:test'
import { setUnitOwners } from '../ph/ownerships.ts'
import { checkIn, checkOut } from './attendance.ts'
import { startAssembly, switchToSecondCall } from './lifecycle.ts'
import { computeQuorum, quorumHistory } from './quorum.ts'
import {
  type AssemblyFixture,
  appDatabaseForTests,
  appErrorOf,
  createAssemblyFixture,
  systemActor,
} from './testing.ts'

const handle = appDatabaseForTests()

const actor = systemActor
const ids = (fixture: AssemblyFixture) => ({
  organizationId: fixture.organizationId,
  assemblyId: fixture.assembly.id,
})

// A 40 %, B 30 %, C 20 %, D 10 % (D is behind on fees). Owners carry the unit's letter.
// 'full_vote': units in arrears count like any other; by default (voice but no vote) D counts for nothing.
function ph(quorumRule: string, arrearsVoting: 'voice_no_vote' | 'full_vote' = 'full_vote') {
  return createAssemblyFixture(handle.db, {
    units: [
      ['A', '40', 'Owner A'],
      ['B', '30', 'Owner B'],
      ['C', '20', 'Owner C'],
      ['D', '10', 'Owner D', false],
    ],
    assembly: { quorumRule },
    arrearsVoting,
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
    // Units in arrears counted (full_vote): more than 50 % of the coefficient at first call, at least
    // one third (the preset's reduced second-call figure) at second.
    ['bylaws-coefficient-bylaws-reduced', 'full_vote', 'first', 'AC', true, '60.0000'],
    ['bylaws-coefficient-bylaws-reduced', 'full_vote', 'first', 'A', false, '40.0000'],
    ['bylaws-coefficient-bylaws-reduced', 'full_vote', 'first', 'AD', false, '50.0000'],
    ['bylaws-coefficient-bylaws-reduced', 'full_vote', 'second', 'BD', true, '40.0000'],
    ['bylaws-coefficient-bylaws-reduced', 'full_vote', 'second', 'B', false, '30.0000'],
    // Default setting (voice but no vote): D is out of numerator and denominator (A+B+C = 90 %).
    ['bylaws-coefficient-bylaws-reduced', 'voice_no_vote', 'first', 'AD', false, '44.4444'],
    ['bylaws-coefficient-bylaws-reduced', 'voice_no_vote', 'second', 'B', true, '33.3333'],
    ['bylaws-coefficient-bylaws-reduced', 'voice_no_vote', 'second', 'CD', false, '22.2222'],
    // Units base: more than half of the up-to-date units (2 of 3).
    ['bylaws-units-any-present', 'voice_no_vote', 'first', 'AB', true, '77.7778'],
    ['bylaws-units-any-present', 'voice_no_vote', 'first', 'AD', false, '44.4444'],
    ['bylaws-units-any-present', 'voice_no_vote', 'second', 'C', true, '22.2222'],
    ['bylaws-units-any-present', 'voice_no_vote', 'second', 'D', false, '0.0000'],
    // A new convocatoria is needed: never reached at second call, whoever attends.
    ['ley284-owners-new-call', 'voice_no_vote', 'first', 'ABC', true, '100.0000'],
  ] as const)(
    '%s (%s) at %s call with %s present: reached %p (%s %% of the counted coefficient)',
    async (rule, arrears, call, letters, reached, percent) => {
      const fixture = await ph(rule, arrears)
      await attend(fixture, letters)
      if (call === 'second') await switchToSecondCall(handle.db, { ...ids(fixture), actor })
      const quorum = await computeQuorum(handle.db, ids(fixture))
      expect([quorum.call, quorum.reached, quorum.byCoefficient.percent]).toEqual([call, reached, percent])
    },
  )

  it('counts units for a units-based rule, only up-to-date ones', async () => {
    const fixture = await ph('bylaws-units-any-present', 'voice_no_vote')
    await attend(fixture, 'AD')
    const quorum = await computeQuorum(handle.db, ids(fixture))
    expect(quorum.byUnits).toEqual({ present: 1, total: 3, percent: '33.3333', met: false })
  })

  it('counts owners as heads: one per owner however many units, co-owners of a unit as one', async () => {
    const fixture = await ph('ley284-owners-any-present', 'full_vote')
    const { organizationId } = fixture
    const personA = fixture.personIds['Owner A']!
    const personC = fixture.personIds['Owner C']!
    const personD = fixture.personIds['Owner D']!
    await setUnitOwners(handle.db, {
      organizationId,
      unitId: fixture.unitIds.B!,
      owners: [{ personId: personA, isRepresentative: true }],
      actor,
    })
    // C is co-owned by C (representative) and D: still one head, distinct from D's own unit.
    await setUnitOwners(handle.db, {
      organizationId,
      unitId: fixture.unitIds.C!,
      owners: [
        { personId: personC, isRepresentative: true },
        { personId: personD, isRepresentative: false },
      ],
      actor,
    })
    // Heads: {A} (units A, B), {C, D} (unit C), {D} (unit D) = 3. A and B present = one head of three.
    await attend(fixture, 'A')
    await checkIn(handle.db, {
      ...ids(fixture),
      unitIds: [fixture.unitIds.B!],
      personId: personA,
      mode: 'remote',
      actor,
    })
    const quorum = await computeQuorum(handle.db, ids(fixture))
    expect(quorum.byOwners).toEqual({ present: 1, total: 3, percent: '33.3333', met: false })
    expect([quorum.byUnits.present, quorum.byCoefficient.percent, quorum.reached]).toEqual([
      2,
      '70.0000',
      false,
    ])
    await attend(fixture, 'D')
    const after = await computeQuorum(handle.db, ids(fixture))
    expect([after.byOwners.present, after.byOwners.percent, after.reached]).toEqual([2, '66.6667', true])
    const last = (await quorumHistory(handle.db, ids(fixture))).at(-1)
    expect([last?.presentOwners, last?.totalOwners]).toEqual([2, 3])
  })

  it('reports the exact coefficients present and in total', async () => {
    const fixture = await ph('bylaws-coefficient-bylaws-reduced')
    await attend(fixture, 'BD')
    const quorum = await computeQuorum(handle.db, ids(fixture))
    expect([quorum.byCoefficient.present, quorum.byCoefficient.total]).toEqual([
      '40.000000000',
      '100.000000000',
    ])
  })

  it('splits the present units into in person and remote', async () => {
    const fixture = await ph('bylaws-coefficient-bylaws-reduced')
    await attend(fixture, 'AB')
    await attend(fixture, 'D', 'remote')
    const quorum = await computeQuorum(handle.db, ids(fixture))
    expect([quorum.inPerson, quorum.remote]).toEqual([
      { units: 2, coefficient: '70.000000000' },
      { units: 1, coefficient: '10.000000000' },
    ])
  })

  it('explains why the second call of a first-call-only rule has no quorum', async () => {
    const fixture = await ph('ley284-owners-new-call')
    const error = await appErrorOf(() => switchToSecondCall(handle.db, { ...ids(fixture), actor }))
    expect(error.code).toBe('second_call_not_allowed')
  })

  it('answers 404 for an assembly of another PH', async () => {
    const fixture = await ph('bylaws-coefficient-bylaws-reduced')
    const other = await ph('bylaws-coefficient-bylaws-reduced')
    const error = await appErrorOf(() =>
      computeQuorum(handle.db, { organizationId: other.organizationId, assemblyId: fixture.assembly.id }),
    )
    expect(error.status).toBe(404)
  })
})

describe('the quorum log', () => {
  it('grows with every check-in and check-out, in order', async () => {
    const fixture = await ph('bylaws-coefficient-bylaws-reduced')
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
    const fixture = await ph('bylaws-coefficient-any-present')
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
    const fixture = await ph('bylaws-coefficient-bylaws-reduced')
    await attend(fixture, 'A')
    await attend(fixture, 'B', 'remote')
    const last = (await quorumHistory(handle.db, ids(fixture))).at(-1)
    expect([last?.inPersonUnits, last?.remoteUnits, last?.totalUnits]).toEqual([1, 1, 4])
  })

  it('is not written by computeQuorum', async () => {
    const fixture = await ph('bylaws-coefficient-bylaws-reduced')
    await computeQuorum(handle.db, ids(fixture))
    expect(await quorumHistory(handle.db, ids(fixture))).toEqual([])
  })
})
