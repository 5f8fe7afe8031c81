import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import type { DatabaseHandle } from '../../db/client.ts'
import { units } from '../../db/schema/index.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { computeQuorum } from '../assemblies/quorum.ts'
import type { QuorumRule } from '../rules/types.ts'
import { createMotion, openMotion } from './motions.ts'
import { closeMotion } from './results.ts'
import {
  castOwnerBallots,
  createScenario,
  createTestVotePath,
  type ScenarioUnit,
  type TestVotePath,
} from './testing.ts'

/*
 * Expected figures written by hand, not computed by the product's tally: "result equals a recount"
 * proves the close and the recount agree; these prove the arithmetic. One building of 7 units whose
 * coefficients sum to 100:
 *
 *   unit  coefficient  attends     fees
 *   U1    20.5         in person   up to date
 *   U2    17.25        remote      up to date
 *   U3    15           in person   up to date
 *   U4    14.125       absent      up to date
 *   U5    12.375       in person   BEHIND
 *   U6    11           absent      BEHIND
 *   U7     9.75        remote      up to date
 *
 * Present: U1+U2+U3+U5+U7 = 74.875 (5 units); in person 20.5+15+12.375 = 47.875, remote 17.25+9.75 = 27.
 * Up to date: 100-12.375-11 = 76.625 (5 units), of which present U1+U2+U3+U7 = 62.5 (4 units).
 * The PH's by-laws let units in arrears vote (setting `full_vote`), so U5's ballot counts where the
 * rule does not restrict to up-to-date units.
 */

const building: ScenarioUnit[] = [
  { number: 'U1', coefficient: '20.5', present: 'in_person' },
  { number: 'U2', coefficient: '17.25', present: 'remote' },
  { number: 'U3', coefficient: '15', present: 'in_person' },
  { number: 'U4', coefficient: '14.125', present: false },
  { number: 'U5', coefficient: '12.375', present: 'in_person', upToDate: false },
  { number: 'U6', coefficient: '11', present: false, upToDate: false },
  { number: 'U7', coefficient: '9.75', present: 'remote' },
]

let handle: DatabaseHandle
let votePath: TestVotePath

beforeAll(async () => {
  handle = await createTestDatabase()
  votePath = createTestVotePath(handle.db)
}, 60_000)
afterAll(async () => {
  await votePath.close()
  await handle.close()
})

const actor = { userId: null }

async function closeWith(rule: string, ballots: Record<string, string>) {
  const { db } = handle
  const scenario = await createScenario(db, { units: building, arrearsVoting: 'full_vote' })
  const { organizationId } = scenario
  const motion = await createMotion(db, {
    organizationId,
    assemblyId: scenario.assemblyId,
    actor,
    title: `Figuras ${rule}`,
    majorityRule: rule,
    requiresQuorum: false,
  })
  await openMotion(db, { organizationId, motionId: motion.id, actor })
  await castOwnerBallots(votePath, scenario, motion.id, ballots)
  return (await closeMotion(db, { organizationId, motionId: motion.id, actor })).result
}

const row = (units: number, coefficient: string, upToDateUnits: number, upToDateCoefficient: string) => ({
  units,
  coefficient,
  upToDate: { units: upToDateUnits, coefficient: upToDateCoefficient },
})

describe('tally of U1 yes, U2 no, U3 yes, U5 abstains, U7 no (by hand)', () => {
  it('counts every row by units and coefficient, and the up-to-date share of each', async () => {
    const result = await closeWith('simple', { U1: 'yes', U2: 'no', U3: 'yes', U5: 'abstain', U7: 'no' })
    expect(result.totals.tally).toEqual({
      options: [
        { key: 'yes', ...row(2, '35.500000000', 2, '35.500000000') }, // U1 20.5 + U3 15
        { key: 'no', ...row(2, '27.000000000', 2, '27.000000000') }, // U2 17.25 + U7 9.75
        { key: 'abstain', ...row(1, '12.375000000', 0, '0.000000000') }, // U5, behind on fees
      ],
      cast: row(5, '74.875000000', 4, '62.500000000'),
      abstained: row(1, '12.375000000', 0, '0.000000000'),
      present: row(5, '74.875000000', 4, '62.500000000'),
      eligible: row(7, '100.000000000', 5, '76.625000000'),
      notVoted: row(2, '25.125000000', 1, '14.125000000'), // U4 14.125 + U6 11
    })
  })
})

interface MajorityCase {
  rule: string
  ballots: Record<string, string>
  numerator: string
  denominator: string
  percent: string
  outcome: string
}

const majorities: MajorityCase[] = [
  // Simple: yes against the votes cast without abstentions: 35.5 / (74.875 - 12.375) = 56.8 %.
  {
    rule: 'simple',
    ballots: { U1: 'yes', U2: 'no', U3: 'yes', U5: 'abstain', U7: 'no' },
    numerator: '35.500000000',
    denominator: '62.500000000',
    percent: '56.8000',
    outcome: 'approved',
  },
  // Absolute: more than half of the coefficient present: 35.5 / 74.875 = 47.4124 %.
  {
    rule: 'absolute',
    ballots: { U1: 'yes', U2: 'no', U3: 'yes', U5: 'abstain', U7: 'no' },
    numerator: '35.500000000',
    denominator: '74.875000000',
    percent: '47.4124',
    outcome: 'rejected',
  },
  // Two thirds of those present: (20.5 + 17.25 + 15 + 12.375) / 74.875 = 65.125 / 74.875 = 86.9783 %.
  {
    rule: 'two-thirds',
    ballots: { U1: 'yes', U2: 'yes', U3: 'yes', U5: 'yes', U7: 'no' },
    numerator: '65.125000000',
    denominator: '74.875000000',
    percent: '86.9783',
    outcome: 'approved',
  },
  // Art. 35: 51 % of the up-to-date units (U1 U2 U3 U4 U7): 3 / 5 = 60 %.
  {
    rule: 'ley284-art35-first-call',
    ballots: { U1: 'yes', U2: 'yes', U3: 'yes', U7: 'no' },
    numerator: '3',
    denominator: '5',
    percent: '60.0000',
    outcome: 'approved',
  },
  // The same rule with one yes less: 2 / 5 = 40 %.
  {
    rule: 'ley284-art35-first-call',
    ballots: { U1: 'yes', U2: 'yes', U3: 'no', U7: 'no' },
    numerator: '2',
    denominator: '5',
    percent: '40.0000',
    outcome: 'rejected',
  },
  // 66 % of all units, behind on fees or not: 5 / 7 = 71.4286 %.
  {
    rule: 'sixty-six-percent',
    ballots: { U1: 'yes', U2: 'yes', U3: 'yes', U5: 'yes', U7: 'yes' },
    numerator: '5',
    denominator: '7',
    percent: '71.4286',
    outcome: 'approved',
  },
  // Unanimity of the whole coefficient: every present unit says yes, the absent ones do not: 74.875 %.
  {
    rule: 'unanimity',
    ballots: { U1: 'yes', U2: 'yes', U3: 'yes', U5: 'yes', U7: 'yes' },
    numerator: '74.875000000',
    denominator: '100.000000000',
    percent: '74.8750',
    outcome: 'rejected',
  },
]

describe('majorities (expected figures by hand)', () => {
  it.each(majorities.map((c) => [`${c.rule}: ${c.percent} % → ${c.outcome}`, c] as const))(
    '%s',
    async (_name, c) => {
      const result = await closeWith(c.rule, c.ballots)
      expect(result.totals.majority).toMatchObject({
        numerator: c.numerator,
        denominator: c.denominator,
        percent: c.percent,
        outcome: c.outcome,
      })
      expect<string>(result.outcome).toBe(c.outcome)
    },
  )
})

describe('quorum (expected figures by hand)', () => {
  const quorumOf = async (quorumRule?: QuorumRule) => {
    const scenario = await createScenario(handle.db, {
      units: building,
      ...(quorumRule ? { quorumRule } : {}),
    })
    return computeQuorum(handle.db, {
      organizationId: scenario.organizationId,
      assemblyId: scenario.assemblyId,
    })
  }
  const half = { numerator: 1, denominator: 2, strict: true }

  it('counts every present unit against the whole building', async () => {
    expect(await quorumOf()).toMatchObject({
      reached: true,
      byCoefficient: { present: '74.875000000', total: '100.000000000', percent: '74.8750', met: true },
      byUnits: { present: 5, total: 7, percent: '71.4286', met: true },
      inPerson: { units: 3, coefficient: '47.875000000' },
      remote: { units: 2, coefficient: '27.000000000' },
    })
  })

  it('counts only up-to-date units, present and total, under an eligible-only rule', async () => {
    const rule: QuorumRule = { base: 'coefficient', eligibleOnly: true, firstCall: half, secondCall: null }
    expect(await quorumOf(rule)).toMatchObject({
      reached: true,
      byCoefficient: { present: '62.500000000', total: '76.625000000', percent: '81.5661', met: true },
      byUnits: { present: 4, total: 5, percent: '80.0000', met: true },
      // Presence by mode still lists every attendee, U5 included.
      inPerson: { units: 3, coefficient: '47.875000000' },
    })
  })

  it('is not reached at exactly half under a strict "more than half" rule', async () => {
    // 2 of 4 units present: 50 %, which "more than half" does not reach.
    const rule: QuorumRule = { base: 'units', eligibleOnly: false, firstCall: half, secondCall: null }
    const scenario = await createScenario(handle.db, {
      units: [
        { number: 'A', coefficient: '25', present: 'in_person' },
        { number: 'B', coefficient: '25', present: 'in_person' },
        { number: 'C', coefficient: '25', present: false },
        { number: 'D', coefficient: '25', present: false },
      ],
      quorumRule: rule,
    })
    const quorum = await computeQuorum(handle.db, scenario)
    expect(quorum).toMatchObject({
      reached: false,
      byUnits: { present: 2, total: 4, percent: '50.0000', met: false },
    })
  })
})

describe('a vote keeps the up-to-date flag it was accepted with (by hand)', () => {
  it('counts a unit that fell behind on fees after voting as up to date, under an eligible-only rule', async () => {
    const { db } = handle
    // Four equal units, all up to date and present; art. 35: 51 % of the up-to-date units.
    const scenario = await createScenario(db, {
      units: ['W1', 'W2', 'W3', 'W4'].map((number) => ({
        number,
        coefficient: '25',
        present: 'in_person' as const,
      })),
    })
    const { organizationId } = scenario
    const motion = await createMotion(db, {
      organizationId,
      assemblyId: scenario.assemblyId,
      actor,
      title: 'Cuotas',
      majorityRule: 'ley284-art35-first-call',
      requiresQuorum: false,
    })
    await openMotion(db, { organizationId, motionId: motion.id, actor })
    await castOwnerBallots(votePath, scenario, motion.id, { W1: 'yes', W2: 'yes', W3: 'yes' })
    // W1 falls behind on fees after its vote was accepted, before the close.
    await db
      .update(units)
      .set({ upToDate: false })
      .where(eq(units.id, scenario.unit('W1')))
    const { result } = await closeMotion(db, { organizationId, motionId: motion.id, actor })
    // From the votes: 3 yes of 4 up-to-date units = 75 %. (From the units at close it would be 2 of 3.)
    expect(result.totals.majority).toMatchObject({ numerator: '3', denominator: '4', percent: '75.0000' })
    expect(result.electorate.find((entry) => entry.unitId === scenario.unit('W1'))).toMatchObject({
      upToDate: true,
      voted: true,
    })
    // W4 did not vote: the electorate takes its flag from the unit (still up to date).
    expect(result.totals.tally.eligible.upToDate.units).toBe(4)
  })
})
