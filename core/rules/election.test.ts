import { describe, expect, it } from 'bun:test'
import { parseCoefficient } from '../decimal.ts'
import { type Elected, electionSummary, rankElection } from './election.ts'
import { getMajorityPreset } from './presets.ts'
import { RuleError, tallyVotes } from './tally.ts'
import type { MajorityRule, MotionOption } from './types.ts'

const candidates = (...names: string[]): MotionOption[] =>
  names.map((name) => ({ key: name.toLowerCase(), label: name, kind: 'choice' }))

const simple = getMajorityPreset('simple')!
const byUnits: MajorityRule = { ...simple, base: 'units' }

/**
 * Ballots written as 'coefficient:keys', e.g. '10:a,b' is a unit of 10 % ticking a and b; '5:' is a
 * blank ballot. Every unit is present and up to date.
 */
function decide(
  options: MotionOption[],
  ballots: string[],
  seats: number,
  rule: MajorityRule = simple,
  language: 'es' | 'en' = 'en',
) {
  const units = ballots.map((ballot, index) => {
    const [weight = '0', keys = ''] = ballot.split(':')
    return { unitId: `u${index}`, coefficient: parseCoefficient(weight), keys: keys ? keys.split(',') : [] }
  })
  const tally = tallyVotes({
    options,
    choiceMode: 'multiple',
    electorate: units.map((unit) => ({ ...unit, upToDate: true, present: true })),
    votes: units.map((unit) => ({ unitId: unit.unitId, optionKeys: unit.keys })),
  })
  return rankElection({ seats, rule, tally, options, language })
}

const summary = (result: ReturnType<typeof decide>) =>
  Object.fromEntries(result.candidates.map((c) => [c.key, [c.rank, c.elected]]))

describe('rankElection', () => {
  const table: {
    name: string
    options: MotionOption[]
    ballots: string[]
    seats: number
    rule?: MajorityRule
    expected: Record<string, [number, Elected]>
    outcome: string
  }[] = [
    {
      name: 'the top N by coefficient are elected',
      options: candidates('Ana', 'Beto', 'Carla', 'Dora'),
      ballots: ['30:ana,beto', '25:carla,beto', '20:ana,dora', '10:dora'],
      seats: 2,
      expected: { beto: [1, true], ana: [2, true], dora: [3, false], carla: [4, false] },
      outcome: 'approved',
    },
    {
      name: 'units rank differently from coefficient when the rule counts units',
      options: candidates('Ana', 'Beto', 'Carla'),
      ballots: ['60:ana', '10:beto', '10:beto', '10:carla'],
      seats: 1,
      rule: byUnits,
      expected: { beto: [1, true], ana: [2, false], carla: [2, false] },
      outcome: 'approved',
    },
    {
      name: 'a tie at the last seat elects neither tied candidate',
      options: candidates('Ana', 'Beto', 'Carla', 'Dora'),
      ballots: ['40:ana', '20:beto', '20:carla', '10:dora'],
      seats: 2,
      expected: { ana: [1, true], beto: [2, 'tie'], carla: [2, 'tie'], dora: [4, false] },
      outcome: 'tie',
    },
    {
      name: 'a tie inside the seats elects both',
      options: candidates('Ana', 'Beto', 'Carla'),
      ballots: ['20:ana', '20:beto', '10:carla'],
      seats: 2,
      expected: { ana: [1, true], beto: [1, true], carla: [3, false] },
      outcome: 'approved',
    },
    {
      name: 'three tied for two seats: all tied',
      options: candidates('Ana', 'Beto', 'Carla'),
      ballots: ['10:ana,beto', '10:carla'],
      seats: 2,
      expected: { ana: [1, 'tie'], beto: [1, 'tie'], carla: [1, 'tie'] },
      outcome: 'tie',
    },
    {
      name: 'fewer candidates than seats: everyone with votes is elected',
      options: candidates('Ana', 'Beto', 'Carla'),
      ballots: ['10:ana,beto', '5:ana'],
      seats: 5,
      expected: { ana: [1, true], beto: [2, true], carla: [3, false] },
      outcome: 'approved',
    },
    {
      name: 'zero votes: nobody elected',
      options: candidates('Ana', 'Beto'),
      ballots: ['10:', '20:'],
      seats: 1,
      expected: { ana: [1, false], beto: [1, false] },
      outcome: 'no_votes',
    },
    {
      name: 'no ballots at all: nobody elected',
      options: candidates('Ana', 'Beto'),
      ballots: [],
      seats: 2,
      expected: { ana: [1, false], beto: [1, false] },
      outcome: 'no_votes',
    },
    {
      name: 'a threshold set by the rule keeps a leader under it out',
      options: candidates('Ana', 'Beto', 'Carla'),
      ballots: ['40:ana', '35:beto', '25:carla'],
      seats: 2,
      rule: getMajorityPreset('absolute')!,
      expected: { ana: [1, false], beto: [2, false], carla: [3, false] },
      outcome: 'rejected',
    },
  ]
  for (const row of table) {
    it(row.name, () => {
      const result = decide(row.options, row.ballots, row.seats, row.rule)
      expect(summary(result)).toEqual(row.expected)
      expect(result.outcome).toBe(row.outcome as never)
    })
  }

  it('ranks most weight first and keeps the option order among equals', () => {
    const result = decide(candidates('Ana', 'Beto', 'Carla'), ['5:carla', '5:beto', '9:ana'], 1)
    expect(result.candidates.map((c) => c.key)).toEqual(['ana', 'beto', 'carla'])
  })

  it('says who is elected and who ties, in Spanish and English', () => {
    const options = candidates('Ana', 'Beto', 'Carla', 'Dora')
    const ballots = ['40:ana', '20:beto', '20:carla', '10:dora']
    const es = decide(options, ballots, 2, simple, 'es')
    expect(es.explanation).toStartWith(
      '2 puestos. Electo/a: Ana; empate entre Beto y Carla: ese puesto queda sin decidir. 1. Ana 40.000000000 (44.4444 %)',
    )
    expect(es.explanation).toContain('del coeficiente')
    expect(electionSummary(decide(options, ballots, 2), options, 'en')).toBe(
      '2 seats. Elected: Ana; tie between Beto and Carla: that seat is undecided.',
    )
  })

  it('refuses seats out of 1..50 and yes/no options', () => {
    const options = candidates('Ana')
    expect(() => decide(options, ['1:ana'], 0)).toThrow(RuleError)
    expect(() => decide(options, ['1:ana'], 51)).toThrow(RuleError)
    const yesNo: MotionOption[] = [
      { key: 'yes', label: 'Yes', kind: 'yes' },
      { key: 'a', label: 'A', kind: 'choice' },
    ]
    expect(() => decide(yesNo, ['1:a'], 1)).toThrow(RuleError)
  })
})
