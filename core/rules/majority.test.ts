import { describe, expect, it } from 'bun:test'
import { distributeCoefficients } from './coefficients.ts'
import { evaluateMajority, type MajorityOutcome } from './majority.ts'
import { getMajorityPreset } from './presets.ts'
import { type ElectorateUnit, RuleError, type TallyResult, tallyVotes, type UnitVote } from './tally.ts'
import type { MajorityRule, MotionOption } from './types.ts'

const YES_NO: MotionOption[] = [
  { key: 'yes', label: 'Yes', kind: 'yes' },
  { key: 'no', label: 'No', kind: 'no' },
  { key: 'abstain', label: 'Abstain', kind: 'abstain' },
]

const CHOICES: MotionOption[] = [
  { key: 'x', label: 'X', kind: 'choice' },
  { key: 'y', label: 'Y', kind: 'choice' },
  { key: 'z', label: 'Z', kind: 'choice' },
  { key: 'abstain', label: 'Abstain', kind: 'abstain' },
]

/**
 * Builds a building whose coefficients add up to exactly 100 % and tallies its votes. The building is
 * written as groups of alike units, e.g. '41 yes, 39 no, 20 arrears': a count, then any of a vote key,
 * 'arrears' (not up to date), 'absent', or 'w3' (relative size 3; default 1). No vote key: did not vote.
 */
function assembly(building: string, options: MotionOption[] = YES_NO): TallyResult {
  const units = building.split(',').flatMap((group, g) => {
    const [count = '', ...words] = group.trim().split(/\s+/)
    const weight = Number(words.find((word) => /^w\d+$/.test(word))?.slice(1) ?? 1)
    const vote = words.find((word) => word !== 'arrears' && word !== 'absent' && !/^w\d+$/.test(word))
    const unit = { weight, vote, upToDate: !words.includes('arrears'), present: !words.includes('absent') }
    return Array.from({ length: Number(count) }, (_, i) => ({ ...unit, unitId: `${g}-${i}` }))
  })
  const coefficients = distributeCoefficients(units.map((unit) => unit.weight))
  const electorate: ElectorateUnit[] = units.map(({ unitId, upToDate, present }, index) => ({
    unitId,
    coefficient: coefficients[index] ?? 0n,
    upToDate,
    present,
  }))
  const votes: UnitVote[] = units.flatMap(({ unitId, vote }) =>
    vote ? [{ unitId, optionKeys: [vote] }] : [],
  )
  return tallyVotes({ options, choiceMode: 'single', electorate, votes })
}

function preset(name: string): MajorityRule {
  const rule = getMajorityPreset(name)
  if (!rule) throw new Error(`missing preset ${name}`)
  return rule
}

function outcome(rule: MajorityRule, building: string, options: MotionOption[] = YES_NO): MajorityOutcome {
  return evaluateMajority({ rule, tally: assembly(building, options), options }).outcome
}

describe('evaluateMajority: presets on a 100-unit building with equal coefficients', () => {
  it.each<[string, string, MajorityOutcome, string]>([
    ['simple', 'more yes than no', 'approved', '10 yes, 9 no, 81'],
    ['simple', 'as many yes as no', 'tie', '10 yes, 10 no, 80'],
    ['simple', 'more no than yes', 'rejected', '9 yes, 10 no, 81'],
    ['simple', 'only abstentions', 'no_votes', '30 abstain, 70'],
    ['simple', 'nobody voted', 'no_votes', '100'],
    ['absolute', 'exactly half of present', 'rejected', '50 yes, 50 no'],
    ['absolute', 'half of present, rest abstain', 'rejected', '50 yes, 50 abstain'],
    ['absolute', '51 of 100 present', 'approved', '51 yes, 49'],
    ['absolute', '40 of 70 present', 'approved', '40 yes, 30, 30 absent'],
    ['ley284-art35-first-call', '41 of 80 up-to-date (51.25 %)', 'approved', '41 yes, 39 no, 20 arrears'],
    ['ley284-art35-first-call', '40 of 80 up-to-date (50 %)', 'rejected', '40 yes, 40, 20 arrears'],
    [
      'ley284-art35-first-call',
      '40 up-to-date yes plus 20 in arrears: arrears ignored',
      'rejected',
      '40 yes, 40, 20 arrears yes',
    ],
    [
      'ley284-art35-first-call',
      'absent up-to-date units count in the denominator',
      'rejected',
      '40 yes, 40 absent, 20 arrears',
    ],
    ['ley284-art35-second-call', '24 of 80 up-to-date (30 %)', 'approved', '24 yes, 56 absent, 20 arrears'],
    ['ley284-art35-second-call', '23 of 80 up-to-date', 'rejected', '23 yes, 57 absent, 20 arrears'],
    ['ley284-art35-second-call', 'yes meets 30 % but no leads', 'rejected', '25 yes, 35 no, 20, 20 arrears'],
    ['ley284-art35-second-call', 'yes and no both meet 30 % and tie', 'tie', '30 yes, 30 no, 20, 20 arrears'],
    ['ley284-art26-fees', '53 of 80 (66.25 %)', 'approved', '53 yes, 27, 20 arrears'],
    ['ley284-art26-fees', '52 of 80 (65 %)', 'rejected', '52 yes, 28, 20 arrears'],
    ['sixty-six-percent', '66 of all 100', 'approved', '66 yes, 34 arrears'],
    ['sixty-six-percent', '65 of all 100', 'rejected', '65 yes, 35'],
    ['two-thirds', '60 of 90 present (exactly 2/3)', 'approved', '60 yes, 30, 10 absent'],
    ['two-thirds', '59 of 90 present', 'rejected', '59 yes, 31, 10 absent'],
    ['three-quarters', '75 of 100 present', 'approved', '75 yes, 25 no'],
    ['three-quarters', '74 of 100 present', 'rejected', '74 yes, 26 no'],
    ['unanimity', 'every unit votes yes', 'approved', '100 yes'],
    ['unanimity', 'one unit absent', 'rejected', '99 yes, 1 absent'],
    ['unanimity', 'one unit abstains', 'rejected', '99 yes, 1 abstain'],
  ])('%s: %s → %s', (name, _case, expected, building) => {
    expect(outcome(preset(name), building)).toBe(expected)
  })
})

describe('evaluateMajority: abstentions', () => {
  // 40 yes, 30 no, 30 abstain: 40/100 is not more than half, 40/70 is.
  const building = '40 yes, 30 no, 30 abstain'
  const moreThanHalf = { numerator: 1, denominator: 2, strict: true }

  it.each([
    [true, 'rejected', 100n],
    [false, 'approved', 70n],
  ] as const)('abstentionsCount %p → %s over %p units', (abstentionsCount, expected, denominator) => {
    const rule: MajorityRule = {
      base: 'units',
      denominator: 'cast',
      threshold: moreThanHalf,
      abstentionsCount,
      eligibleOnly: false,
    }
    const result = evaluateMajority({ rule, tally: assembly(building), options: YES_NO })
    expect([result.outcome, result.denominator]).toEqual([expected, denominator])
  })
})

describe('evaluateMajority: coefficient versus units', () => {
  // One large unit (60 %) votes yes, two smaller ones (20 % each) vote no.
  const building = '1 w3 yes, 2 w1 no'

  it.each([
    ['coefficient', 'approved'],
    ['units', 'rejected'],
  ] as const)('by %s the motion is %s', (base, expected) => {
    expect(outcome({ ...preset('simple'), base }, building)).toBe(expected)
  })
})

describe('evaluateMajority: choice motions', () => {
  it.each<[string, MajorityRule, string, MajorityOutcome, string | null]>([
    ['relative, clear leader', preset('simple'), '4 x, 3 y, 2 z', 'approved', 'x'],
    ['relative, leader listed last', preset('simple'), '2 x, 3 y, 4 z', 'approved', 'z'],
    ['relative, tie for first', preset('simple'), '4 x, 4 y, 2 z', 'tie', null],
    ['absolute, leader below half', preset('absolute'), '4 x, 3 y, 3 z', 'rejected', null],
    ['absolute, leader above half', preset('absolute'), '6 y, 3 x, 1 z', 'approved', 'y'],
  ])('%s', (_name, rule, building, expected, winner) => {
    const result = evaluateMajority({ rule, tally: assembly(building, CHOICES), options: CHOICES })
    expect([result.outcome, result.winningOption]).toEqual([expected, winner])
  })
})

describe('evaluateMajority: result fields', () => {
  const tally = assembly('49 yes, 20 no, 11, 20 arrears')
  const result = evaluateMajority({ rule: preset('ley284-art35-first-call'), tally, options: YES_NO })

  it('reports the deciding numbers in the base of the rule', () => {
    expect([result.numerator, result.denominator, result.percent]).toEqual([49n, 80n, '61.2500'])
  })

  it('names yes as winner and deciding option', () => {
    expect([result.winningOption, result.decidingOption]).toEqual(['yes', 'yes'])
  })

  it('explains with the deciding numbers', () => {
    expect(result.explanation).toBe(
      'Yes 61.2500 % of eligible (up-to-date) units (49 of 80) ≥ 51 %: approved',
    )
  })

  it('has no winner when rejected', () => {
    const rejected = evaluateMajority({
      rule: preset('simple'),
      tally: assembly('1 no'),
      options: YES_NO,
    })
    expect(rejected.winningOption).toBeNull()
  })

  it('reports coefficients in nano-percent (present includes units in arrears)', () => {
    const byCoefficient = evaluateMajority({ rule: preset('two-thirds'), tally, options: YES_NO })
    expect([byCoefficient.numerator, byCoefficient.denominator]).toEqual([49_000_000_000n, 100_000_000_000n])
  })
})

describe('evaluateMajority: explanations', () => {
  it.each<[string, MajorityRule, string, string, MotionOption[]?]>([
    [
      'relative majority',
      preset('simple'),
      '3 yes, 1 no, 1 abstain, 15',
      'Yes 75.0000 % > No 25.0000 % of the coefficient of units that voted, abstentions excluded ' +
        '(15.000000000 > 5.000000000 of 20.000000000): approved',
    ],
    [
      'relative tie',
      { ...preset('simple'), base: 'units' },
      '2 yes, 2 no',
      'Yes 50.0000 % = No 50.0000 % of units that voted, abstentions excluded (2 = 2 of 4): ' +
        'tie, not approved',
    ],
    [
      'threshold not met',
      preset('absolute'),
      '1 yes, 1 no',
      'Yes 50.0000 % of the coefficient of present units (50.000000000 of 100.000000000) ≤ 50 %: rejected',
    ],
    [
      'threshold met but the other side leads',
      preset('ley284-art35-second-call'),
      '4 yes, 6 no',
      'Yes 40.0000 % of eligible (up-to-date) units (4 of 10) ≥ 30 % but No has 60.0000 %: rejected',
    ],
    [
      'choice winner',
      { ...preset('two-thirds'), base: 'units' },
      '3 y, 1 x',
      'Y 75.0000 % of present units (3 of 4) ≥ 2/3: approved, Y wins',
      CHOICES,
    ],
    [
      'zero denominator',
      preset('ley284-art26-fees'),
      '3 arrears yes',
      'No votes to count: there are no eligible (up-to-date) units.',
    ],
    [
      'zero coefficient cast',
      preset('simple'),
      '2 abstain, 3',
      'No votes to count: the coefficient of units that voted, abstentions excluded, is zero.',
    ],
    [
      'relative majority without any vote for an option',
      { ...preset('simple'), abstentionsCount: true },
      '2 abstain, 3',
      'No votes for any option among the coefficient of units that voted.',
    ],
  ])('%s', (_name, rule, building, expected, options = YES_NO) => {
    expect(evaluateMajority({ rule, tally: assembly(building, options), options }).explanation).toBe(expected)
  })
})

describe('evaluateMajority: explanations in Spanish', () => {
  const YES_NO_ES: MotionOption[] = [
    { key: 'yes', label: 'Sí', kind: 'yes' },
    { key: 'no', label: 'No', kind: 'no' },
    { key: 'abstain', label: 'Abstención', kind: 'abstain' },
  ]
  it.each<[string, MajorityRule, string, string]>([
    [
      'relative majority',
      preset('simple'),
      '3 yes, 1 no, 1 abstain, 15',
      'Sí 75.0000 % > No 25.0000 % del coeficiente de unidades que votaron, sin contar abstenciones ' +
        '(15.000000000 > 5.000000000 de 20.000000000): aprobada',
    ],
    [
      'threshold met but the other side leads',
      preset('ley284-art35-second-call'),
      '4 yes, 6 no',
      'Sí 40.0000 % de unidades elegibles (al día) (4 de 10) ≥ 30 % pero No tiene 60.0000 %: rechazada',
    ],
    [
      'zero denominator',
      preset('ley284-art26-fees'),
      '3 arrears yes',
      'No hay votos que contar: no hay unidades elegibles (al día).',
    ],
  ])('%s', (_name, rule, building, expected) => {
    const tally = assembly(building, YES_NO_ES)
    expect(evaluateMajority({ rule, tally, options: YES_NO_ES, language: 'es' }).explanation).toBe(expected)
  })
})

describe('evaluateMajority: invalid motions', () => {
  const tally = assembly('2 yes')

  it.each<[string, MotionOption[], RegExp]>([
    [
      'yes/no mixed with a choice',
      [...YES_NO, { key: 'later', label: 'Later', kind: 'choice' }],
      /cannot mix/,
    ],
    [
      'an option the tally does not know',
      [{ key: 'other', label: 'Other', kind: 'yes' }],
      /other is missing/,
    ],
    ['two yes options', [...YES_NO, { key: 'yes2', label: 'Yes 2', kind: 'yes' }], /at most one yes/],
    ['a no without a yes', [{ key: 'no', label: 'No', kind: 'no' }], /with a no option needs a yes option/],
    [
      'only an abstain option',
      [{ key: 'abstain', label: 'Abstain', kind: 'abstain' }],
      /at least one choice/,
    ],
  ])('throws on %s', (_name, options, message) => {
    expect(() => evaluateMajority({ rule: preset('simple'), tally, options })).toThrow(RuleError)
    expect(() => evaluateMajority({ rule: preset('simple'), tally, options })).toThrow(message)
  })
})
