import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { DatabaseHandle } from '../../db/client.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { getMajorityPreset } from '../rules/presets.ts'
import type { ChoiceMode, MajorityRule, MotionOption } from '../rules/types.ts'
import { createMotion, openMotion } from './motions.ts'
import { closeMotion, recountMotion } from './results.ts'
import {
  castOwnerBallots,
  createScenario,
  createTestVotePath,
  type ScenarioUnit,
  type TestVotePath,
} from './testing.ts'

let handle: DatabaseHandle
let votePath: TestVotePath

beforeAll(async () => {
  handle = await createTestDatabase()
  votePath = createTestVotePath(handle.db)
})
afterAll(async () => {
  await votePath.close()
  await handle.close()
})

const byUnits: MajorityRule = {
  base: 'units',
  denominator: 'cast',
  threshold: null,
  abstentionsCount: false,
  eligibleOnly: false,
}

const choices: MotionOption[] = [
  { key: 'a', label: 'Empresa A', kind: 'choice' },
  { key: 'b', label: 'Empresa B', kind: 'choice' },
  { key: 'c', label: 'Empresa C', kind: 'choice' },
]

interface Case {
  name: string
  units: ScenarioUnit[]
  rule: string | MajorityRule
  options?: MotionOption[]
  choiceMode?: ChoiceMode
  /** Rounds of ballots by unit number, each round cast by the unit's owner; later rounds are re-votes. */
  rounds: Record<string, string[]>[]
  outcome: string
  winningOption?: string | null
  /** [numerator, denominator] of the deciding count, as stored. */
  counts?: [string, string]
}

const present = (number: string, coefficient: string, upToDate = true): ScenarioUnit => ({
  number,
  coefficient,
  upToDate,
  present: 'in_person',
})
const big3 = [present('A', '60'), present('B', '20'), present('C', '20')]

// The same three ballots decided by coefficient (60 % yes) and by units (1 yes against 2 no).
const cases: Case[] = [
  {
    name: 'coefficient majority approves what the unit count rejects (by coefficient)',
    units: big3,
    rule: 'simple',
    rounds: [{ A: ['yes'], B: ['no'], C: ['no'] }],
    outcome: 'approved',
    counts: ['60.000000000', '100.000000000'],
  },
  {
    name: 'coefficient majority approves what the unit count rejects (by units)',
    units: big3,
    rule: byUnits,
    rounds: [{ A: ['yes'], B: ['no'], C: ['no'] }],
    outcome: 'rejected',
    counts: ['1', '3'],
  },
  {
    name: 'art. 35: 51 % of up-to-date units, the unit behind on fees left out',
    units: [present('A', '25'), present('B', '25'), present('C', '25'), present('D', '25', false)],
    rule: 'ley284-art35-first-call',
    rounds: [{ A: ['yes'], B: ['yes'], C: ['no'] }],
    outcome: 'approved',
    counts: ['2', '3'],
  },
  {
    name: '66 % of all units counts the unit behind on fees against',
    units: [present('A', '25'), present('B', '25'), present('C', '25'), present('D', '25', false)],
    // The rule counts units in arrears whatever the PH's setting (voice but no vote by default) says.
    rule: { ...getMajorityPreset('sixty-six-percent')!, countArrears: true },
    rounds: [{ A: ['yes'], B: ['yes'], C: ['no'], D: ['no'] }],
    outcome: 'rejected',
    counts: ['2', '4'],
  },
  {
    name: 'a tie by coefficient is not an approval',
    units: [present('A', '50'), present('B', '50')],
    rule: 'simple',
    rounds: [{ A: ['yes'], B: ['no'] }],
    outcome: 'tie',
    winningOption: null,
  },
  {
    name: 're-votes: the last ballot counts',
    units: big3,
    rule: 'simple',
    rounds: [{ A: ['yes'], B: ['no'], C: ['no'] }, { A: ['no'] }],
    outcome: 'rejected',
    counts: ['0.000000000', '100.000000000'],
  },
  {
    name: 'abstentions count against an absolute majority of those present',
    units: [present('A', '40'), present('B', '30'), present('C', '30')],
    rule: 'absolute',
    rounds: [{ A: ['yes'], B: ['abstain'], C: ['no'] }],
    outcome: 'rejected',
    counts: ['40.000000000', '100.000000000'],
  },
  {
    name: 'two-thirds of those present is met at exactly 2/3 (at least, not more than)',
    units: [present('A', '33.333333333'), present('B', '33.333333333'), present('C', '33.333333334')],
    rule: { ...byUnits, denominator: 'present', threshold: { numerator: 2, denominator: 3, strict: false } },
    rounds: [{ A: ['yes'], B: ['yes'], C: ['no'] }],
    outcome: 'approved',
    counts: ['2', '3'],
  },
  {
    name: 'nobody voted',
    units: big3,
    rule: 'simple',
    rounds: [],
    outcome: 'no_votes',
  },
  {
    name: 'a choice between companies is won by the leading choice',
    units: big3,
    rule: 'simple',
    options: choices,
    rounds: [{ A: ['b'], B: ['a'], C: ['c'] }],
    outcome: 'approved',
    winningOption: 'b',
  },
  {
    name: 'multiple choice adds the full weight to every chosen option',
    units: big3,
    rule: byUnits,
    options: choices,
    choiceMode: 'multiple',
    rounds: [{ A: ['a', 'b'], B: ['b', 'c'], C: ['c'] }],
    outcome: 'tie',
  },
]

describe('whole motions: create, open, vote, close, recount', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { db } = handle
    const scenario = await createScenario(db, { units: c.units })
    const { organizationId } = scenario
    const actor = { userId: null }
    const motion = await createMotion(db, {
      organizationId,
      assemblyId: scenario.assemblyId,
      actor,
      title: c.name,
      majorityRule: c.rule,
      options: c.options,
      choiceMode: c.choiceMode,
    })
    await openMotion(db, { organizationId, motionId: motion.id, actor })
    for (const round of c.rounds) await castOwnerBallots(votePath, scenario, motion.id, round)
    const { result } = await closeMotion(db, { organizationId, motionId: motion.id, actor })

    expect<string>(result.outcome).toBe(c.outcome)
    if (c.winningOption !== undefined) expect(result.totals.majority.winningOption).toBe(c.winningOption)
    if (c.counts)
      expect([result.totals.majority.numerator, result.totals.majority.denominator]).toEqual(c.counts)
    const voters = new Set(c.rounds.flatMap((round) => Object.keys(round)))
    expect(result.totals.tally.cast.units).toBe(voters.size)
    expect(result.totals.receipts).toHaveLength(voters.size)

    const recount = await recountMotion(db, { organizationId, motionId: motion.id })
    expect(recount.differences).toEqual([])
    expect(recount.matches).toBe(true)
  })
})
