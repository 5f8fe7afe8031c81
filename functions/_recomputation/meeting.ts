import { expect } from 'bun:test'
import { createTestUser, type TestUser } from '../../core/services-testing.ts'
import type {
  createPhTestApp,
  PersonUser,
  Reply,
  TestPh,
} from '../organizations/[organizationId]/_testing.ts'
import { expectFigures, type Figure, resultFigures } from './figures.ts'
import {
  type ExpectedResult,
  expectedQuorum,
  expectedResult,
  nine,
  percent4,
  type Rule,
  reaches,
} from './model.ts'
import { buildRoster } from './roster.ts'

/*
 * The recomputation's meeting: the roster, who attends and how, the five motions' rules (as the API
 * takes them and as the model reads them), and the HTTP steps that keep the model in line with what the
 * API accepted.
 */

export const roster = buildRoster()
export const unitOf = new Map(roster.map((unit) => [unit.number, unit]))
export const units = (...numbers: string[]) => numbers.flatMap(expand)
// 'U40-U48' → U40, U41, …, U48
function expand(spec: string): string[] {
  const [from, to] = spec.split('-')
  if (!to) return [from!]
  const start = Number(from!.slice(1))
  return Array.from(
    { length: Number(to.slice(1)) - start + 1 },
    (_, i) => `U${String(start + i).padStart(2, '0')}`,
  )
}

// Who attends, and how. U10 and U11 are one owner checking in once; U20–U22 come through one holder.
export const OWNERS_IN_PERSON = units('U01-U07', 'U09', 'U10', 'U12', 'U14', 'U16-U19', 'U40-U48')
export const OWNERS_REMOTE = units('U24-U29', 'U31', 'U32', 'U34-U37', 'U50-U55')
export const PEDRO_UNITS = units('U20-U22')

export const QUORUM_RULE = {
  base: 'owners',
  eligibleOnly: false,
  firstCall: { numerator: 1, denominator: 2, strict: true },
  secondCall: { numerator: 30, denominator: 100, strict: false },
}
export const RULES: Record<string, { body: unknown; model: Rule; secret?: boolean }> = {
  simple: {
    body: 'simple',
    model: { base: 'coefficient', denominator: 'cast', threshold: null, abstentionsCount: false },
  },
  absolute: {
    body: 'absolute',
    model: {
      base: 'coefficient',
      denominator: 'present',
      threshold: { n: 1n, d: 2n, strict: true },
      abstentionsCount: true,
    },
  },
  art35: {
    body: 'ley284-art35-first-call',
    model: {
      base: 'units',
      denominator: 'eligible',
      threshold: { n: 51n, d: 100n, strict: false },
      abstentionsCount: true,
    },
  },
  qualified66: {
    body: {
      base: 'coefficient',
      denominator: 'eligible',
      threshold: { numerator: 66, denominator: 100, strict: false },
      abstentionsCount: true,
      eligibleOnly: false,
    },
    model: {
      base: 'coefficient',
      denominator: 'eligible',
      threshold: { n: 66n, d: 100n, strict: false },
      abstentionsCount: true,
    },
  },
  secret: {
    body: 'simple',
    secret: true,
    model: { base: 'coefficient', denominator: 'cast', threshold: null, abstentionsCount: false },
  },
}

export type TestApp = Awaited<ReturnType<typeof createPhTestApp>>

/** The meeting's state as the model sees it, and the HTTP steps that change it. */
export function createMeeting(t: TestApp, ph: TestPh) {
  // State of the meeting as the model sees it.
  const present = new Set<string>()
  const checkIns: { unit: string; capacity: 'owner' | 'proxy'; mode: string; left: boolean }[] = []
  const motionIds: Record<string, string> = {}
  const representative: Record<string, string> = {}
  const voters = new Map<string, PersonUser>()
  /** Ids learnt along the way: the assembly's, each unit's, and the two proxy holders' person ids. */
  const state = { assemblyId: '', pedro: '', dora: '' }
  const unitIds: Record<string, string> = {}
  /** What the model expects of each closed motion, by the key of RULES. */
  const expectedByMotion: Record<string, ExpectedResult> = {}

  const assembly = (rest = '') => ph.path(`/assemblies/${state.assemblyId}${rest}`)
  const get = (path: string, user: TestUser = ph.admin) => t.send('GET', path, undefined, user)
  async function voterFor(personId: string): Promise<PersonUser> {
    if (!voters.has(personId)) voters.set(personId, await t.signInAs(personId))
    return voters.get(personId)!
  }
  async function checkInOverHttp(
    personId: string,
    mode: 'in_person' | 'remote',
    covers: string[],
    capacity: 'owner' | 'proxy',
  ) {
    const res = await t.send('POST', assembly('/attendance/check-in'), { personId, mode }, ph.staff)
    expect(res.status).toBe(200)
    expect(res.body.checkedIn.map((row: { unitNumber: string }) => row.unitNumber).sort()).toEqual(covers)
    for (const unit of covers) {
      present.add(unit)
      checkIns.push({ unit, capacity, mode, left: false })
    }
  }
  /** Votes as the given person; the ballots are recorded in the model only when the API accepts them. */
  async function vote(
    motion: string,
    personId: string,
    ballots: [string, string][],
    model: Map<string, string>,
  ) {
    const res = await t.send(
      'POST',
      ph.path(`/motions/${motionIds[motion]}/votes`),
      { ballots: ballots.map(([unit, option]) => ({ unitId: unitIds[unit], optionKeys: [option] })) },
      await voterFor(personId),
    )
    if (res.status === 200) for (const [unit, option] of ballots) model.set(unit, option)
    return res
  }
  const byOwner = (motion: string, model: Map<string, string>, option: string, list: string[]) =>
    Promise.all(list.map((unit) => vote(motion, representative[unit]!, [[unit, option]], model))).then(
      (replies) => {
        for (const res of replies) expect(res.status).toBe(200)
      },
    )

  function quorumFigures(q: ReturnType<typeof expectedQuorum>, api: Reply['body']): Figure[] {
    const met = (p: bigint | number, total: bigint | number) =>
      reaches(BigInt(p), BigInt(total), 1n, 2n, true)
    return [
      ['byOwners.present', q.owners.present, api.byOwners.present],
      ['byOwners.total', q.owners.total, api.byOwners.total],
      ['byOwners.percent', percent4(BigInt(q.owners.present), BigInt(q.owners.total)), api.byOwners.percent],
      ['byOwners.met', met(q.owners.present, q.owners.total), api.byOwners.met],
      ['byCoefficient.present', nine(q.coefficient.present), api.byCoefficient.present],
      ['byCoefficient.total', nine(q.coefficient.total), api.byCoefficient.total],
      [
        'byCoefficient.percent',
        percent4(q.coefficient.present, q.coefficient.total),
        api.byCoefficient.percent,
      ],
      ['byUnits.present', q.units.present, api.byUnits.present],
      ['byUnits.total', q.units.total, api.byUnits.total],
      ['byUnits.percent', percent4(BigInt(q.units.present), BigInt(q.units.total)), api.byUnits.percent],
      ['allUnits', q.allUnits, api.allUnits],
      ['unitsInArrears', q.unitsInArrears, api.unitsInArrears],
      ['reached (owners base)', met(q.owners.present, q.owners.total), api.reached],
    ]
  }
  async function checkQuorum(label: string) {
    const res = await get(assembly('/quorum'))
    expect(res.status).toBe(200)
    const expected = expectedQuorum(roster, present)
    expectFigures(`quorum ${label}`, quorumFigures(expected, res.body))
    // The three denominators differ and each is what it says: present, entitled (up to date), all units.
    expect(new Set([res.body.byUnits.present, res.body.byUnits.total, res.body.allUnits]).size).toBe(3)
    return res.body
  }
  /** Opens, runs `cast` (which fills the model's votes), closes, and compares the result figure by figure. */
  async function runMotion(key: string, cast: (votes: Map<string, string>) => Promise<void>) {
    const votes = new Map<string, string>()
    const opened = await t.send('POST', ph.path(`/motions/${motionIds[key]}/open`), undefined, ph.admin)
    expect(opened.status).toBe(200)
    await cast(votes)
    const closed = await t.send('POST', ph.path(`/motions/${motionIds[key]}/close`), undefined, ph.admin)
    expect(closed.status).toBe(200)
    const expected = expectedResult(roster, votes, present, RULES[key]!.model)
    expectedByMotion[key] = expected
    const auditor = await createTestUser(t.services, {
      roles: [{ organizationId: ph.organizationId, role: 'auditor' as 'ph_admin' }],
    })
    const exact = await get(ph.path(`/motions/${motionIds[key]}/result`), auditor)
    expect(exact.status).toBe(200)
    expectFigures(`motion ${key} (exact)`, resultFigures(expected, exact.body.totals, RULES[key]!.model.base))
    expect(exact.body.outcome).toBe(expected.outcome)
    // Unit by unit: who was present at the close (absent, in arrears, by proxy), who voted, their weight.
    const entries = new Map(exact.body.electorate.map((entry: { number: string }) => [entry.number, entry]))
    expectFigures(
      `motion ${key} electorate`,
      roster.flatMap((unit): Figure[] => {
        const entry = entries.get(unit.number) as Record<string, unknown> | undefined
        return [
          [`${unit.number} attending`, present.has(unit.number), entry?.attending],
          [`${unit.number} upToDate`, unit.upToDate, entry?.upToDate],
          [`${unit.number} voted`, votes.has(unit.number), entry?.voted],
          [`${unit.number} coefficient`, nine(unit.coefficient), entry?.coefficient],
        ]
      }),
    )
    return { expected, votes }
  }

  return {
    state,
    unitIds,
    present,
    checkIns,
    motionIds,
    representative,
    expectedByMotion,
    assembly,
    get,
    voterFor,
    checkInOverHttp,
    vote,
    byOwner,
    checkQuorum,
    runMotion,
  }
}
