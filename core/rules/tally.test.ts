import { describe, expect, it } from 'bun:test'
import { parseCoefficient } from '../decimal.ts'
import {
  type ElectorateUnit,
  RuleError,
  type TallyInput,
  type TallyRow,
  tallyVotes,
  type UnitVote,
} from './tally.ts'
import type { MotionOption } from './types.ts'

const YES_NO: MotionOption[] = [
  { key: 'yes', label: 'Yes', kind: 'yes' },
  { key: 'no', label: 'No', kind: 'no' },
  { key: 'abstain', label: 'Abstain', kind: 'abstain' },
]

const CHOICES: MotionOption[] = [
  { key: 'x', label: 'Company X', kind: 'choice' },
  { key: 'y', label: 'Company Y', kind: 'choice' },
  { key: 'z', label: 'Company Z', kind: 'choice' },
  { key: 'abstain', label: 'Abstain', kind: 'abstain' },
]

// a 30 %, b 25 %, c 20 % (in arrears), d 15 % (absent), e 10 %.
const ELECTORATE: ElectorateUnit[] = [
  { unitId: 'a', coefficient: parseCoefficient('30'), upToDate: true, present: true },
  { unitId: 'b', coefficient: parseCoefficient('25'), upToDate: true, present: true },
  { unitId: 'c', coefficient: parseCoefficient('20'), upToDate: false, present: true },
  { unitId: 'd', coefficient: parseCoefficient('15'), upToDate: true, present: false },
  { unitId: 'e', coefficient: parseCoefficient('10'), upToDate: true, present: true },
]

function row(units: number, percent: string, upToDateUnits: number, upToDatePercent: string): TallyRow {
  return {
    units,
    coefficient: parseCoefficient(percent),
    upToDate: { units: upToDateUnits, coefficient: parseCoefficient(upToDatePercent) },
  }
}

function vote(unitId: string, ...optionKeys: string[]): UnitVote {
  return { unitId, optionKeys }
}

describe('tallyVotes: single choice', () => {
  const result = tallyVotes({
    options: YES_NO,
    choiceMode: 'single',
    electorate: ELECTORATE,
    votes: [vote('a', 'yes'), vote('b', 'no'), vote('c', 'yes'), vote('e', 'abstain')],
  })

  it.each([
    ['yes', row(2, '50', 1, '30')],
    ['no', row(1, '25', 1, '25')],
    ['abstain', row(1, '10', 1, '10')],
  ])('counts option %s by units and coefficient', (key, expected) => {
    expect(result.options.find((option) => option.key === key)).toEqual({ key, ...expected })
  })

  it('keeps the order of the options', () => {
    expect(result.options.map((option) => option.key)).toEqual(['yes', 'no', 'abstain'])
  })

  it.each([
    ['cast', row(4, '85', 3, '65')],
    ['abstained', row(1, '10', 1, '10')],
    ['present', row(4, '85', 3, '65')],
    ['eligible', row(5, '100', 4, '80')],
    ['notVoted', row(1, '15', 1, '15')],
  ] as const)('totals %s', (total, expected) => {
    expect(result[total]).toEqual(expected)
  })
})

describe('tallyVotes: multiple choice', () => {
  const result = tallyVotes({
    options: CHOICES,
    choiceMode: 'multiple',
    electorate: ELECTORATE,
    votes: [vote('a', 'x', 'y'), vote('b', 'y'), vote('c'), vote('d', 'abstain')],
  })

  it.each([
    ['x', row(1, '30', 1, '30')],
    ['y', row(2, '55', 2, '55')],
    ['z', row(0, '0', 0, '0')],
    ['abstain', row(1, '15', 1, '15')],
  ])('adds the full weight of each voter to option %s', (key, expected) => {
    expect(result.options.find((option) => option.key === key)).toEqual({ key, ...expected })
  })

  it('counts each voter once in cast', () => {
    expect(result.cast).toEqual(row(4, '90', 3, '70'))
  })

  it('counts a blank ballot and an abstain option as abstentions', () => {
    expect(result.abstained).toEqual(row(2, '35', 1, '15'))
  })

  it('leaves units without a vote in notVoted', () => {
    expect(result.notVoted).toEqual(row(1, '10', 1, '10'))
  })
})

describe('tallyVotes: no votes', () => {
  it('counts nothing cast and everyone as not voted', () => {
    const result = tallyVotes({ options: YES_NO, choiceMode: 'single', electorate: ELECTORATE, votes: [] })
    expect([result.cast, result.notVoted]).toEqual([row(0, '0', 0, '0'), row(5, '100', 4, '80')])
  })
})

describe('tallyVotes: invalid input', () => {
  const valid: TallyInput = { options: YES_NO, choiceMode: 'single', electorate: ELECTORATE, votes: [] }

  it.each<[string, Partial<TallyInput>, RegExp]>([
    ['an unknown option key', { votes: [vote('a', 'maybe')] }, /unknown option maybe/],
    [
      'a vote from outside the electorate',
      { votes: [vote('zz', 'yes')] },
      /zz voted but is not in the electorate/,
    ],
    ['two votes for one unit', { votes: [vote('a', 'yes'), vote('a', 'no')] }, /a has more than one vote/],
    ['two options in single choice', { votes: [vote('a', 'yes', 'no')] }, /exactly one option, chose 2/],
    ['no option in single choice', { votes: [vote('a')] }, /exactly one option, chose 0/],
    [
      'the same option twice',
      { choiceMode: 'multiple', votes: [vote('a', 'yes', 'yes')] },
      /chose an option twice/,
    ],
    [
      'abstain with another option',
      { options: CHOICES, choiceMode: 'multiple', votes: [vote('a', 'x', 'abstain')] },
      /combined an abstention/,
    ],
    ['no options', { options: [] }, /at least one option/],
    ['a repeated option key', { options: [...YES_NO, YES_NO[0]!] }, /yes is used more than once/],
    ['a unit twice in the electorate', { electorate: [...ELECTORATE, ELECTORATE[0]!] }, /a appears twice/],
    [
      'a negative coefficient',
      { electorate: [{ unitId: 'n', coefficient: -1n, upToDate: true, present: true }] },
      /negative coefficient/,
    ],
  ])('throws on %s', (_name, change, message) => {
    expect(() => tallyVotes({ ...valid, ...change })).toThrow(RuleError)
    expect(() => tallyVotes({ ...valid, ...change })).toThrow(message)
  })
})
