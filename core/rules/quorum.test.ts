import { describe, expect, it } from 'bun:test'
import { parseCoefficient } from '../decimal.ts'
import { evaluateQuorum, type QuorumUnit } from './quorum.ts'
import { RuleError } from './tally.ts'
import type { Call, QuorumRule, Threshold } from './types.ts'

const moreThanHalf: Threshold = { numerator: 1, denominator: 2, strict: true }
const thirtyPercent: Threshold = { numerator: 30, denominator: 100, strict: false }

function rule(base: QuorumRule['base'], eligibleOnly = false, secondCall: Threshold | null = thirtyPercent) {
  return { base, eligibleOnly, firstCall: moreThanHalf, secondCall } satisfies QuorumRule
}

// Ten units summing to 100 %: u1 20, u2 and u3 15, u4–u6 10, u7–u10 5.
const COEFFICIENTS = ['20', '15', '15', '10', '10', '10', '5', '5', '5', '5']

function building(present: number[], inArrears: number[] = []): QuorumUnit[] {
  return COEFFICIENTS.map((text, index) => ({
    id: `u${index + 1}`,
    coefficient: parseCoefficient(text),
    upToDate: !inArrears.includes(index + 1),
    present: present.includes(index + 1),
  }))
}

describe('evaluateQuorum: reached or not', () => {
  it.each([
    ['coefficient, first call, exactly 50 % is not more than half', 'coefficient', 'first', [1, 2, 3], false],
    ['coefficient, first call, 55 %', 'coefficient', 'first', [1, 2, 3, 7], true],
    ['units, first call, 4 of 10 although 55 % of coefficient', 'units', 'first', [1, 2, 3, 7], false],
    [
      'units, first call, 7 of 10 although 45 % of coefficient',
      'units',
      'first',
      [4, 5, 6, 7, 8, 9, 10],
      true,
    ],
    [
      'coefficient, first call, 45 % with 7 of 10 units',
      'coefficient',
      'first',
      [4, 5, 6, 7, 8, 9, 10],
      false,
    ],
    ['both, first call, 80 % and 6 of 10', 'both', 'first', [1, 2, 3, 4, 5, 6], true],
    ['both, first call, 55 % but 4 of 10', 'both', 'first', [1, 2, 3, 7], false],
    ['both, first call, 7 of 10 but 45 %', 'both', 'first', [4, 5, 6, 7, 8, 9, 10], false],
    ['coefficient, second call, 35 % ≥ 30 %', 'coefficient', 'second', [1, 2], true],
    ['coefficient, first call, 35 %', 'coefficient', 'first', [1, 2], false],
    ['coefficient, second call, exactly 30 %', 'coefficient', 'second', [1, 8, 9], true],
    ['coefficient, second call, 25 %', 'coefficient', 'second', [1, 8], false],
    ['units, second call, 3 of 10', 'units', 'second', [7, 8, 9], true],
    ['units, second call, 2 of 10', 'units', 'second', [7, 8], false],
  ] as const)('%s', (_name, base, call, present, reached) => {
    expect(evaluateQuorum({ rule: rule(base), call, units: building([...present]) }).reached).toBe(reached)
  })

  it.each(['first', 'second'] as const)('applies the %s-call threshold', (call: Call) => {
    const result = evaluateQuorum({ rule: rule('coefficient'), call, units: building([1]) })
    expect(result.threshold).toEqual(call === 'first' ? moreThanHalf : thirtyPercent)
  })

  it('reports which bases met the threshold', () => {
    const result = evaluateQuorum({ rule: rule('both'), call: 'first', units: building([1, 2, 3, 7]) })
    expect([result.byCoefficient.met, result.byUnits.met]).toEqual([true, false])
  })
})

describe('evaluateQuorum: no second call', () => {
  const result = evaluateQuorum({
    rule: rule('coefficient', false, null),
    call: 'second',
    units: building([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
  })

  it('is not reached even with everyone present', () => {
    expect(result.reached).toBe(false)
  })

  it('has no threshold and gives a reason', () => {
    expect([result.threshold, result.reason]).toEqual([
      null,
      'The rule does not allow a meeting at second call',
    ])
  })

  it('still counts attendance', () => {
    expect(result.byCoefficient.percent).toBe('100.0000')
  })
})

describe('evaluateQuorum: counts', () => {
  it('counts coefficient and units over all units', () => {
    const result = evaluateQuorum({ rule: rule('coefficient'), call: 'first', units: building([1, 2, 3, 7]) })
    expect(result.byCoefficient).toEqual({
      present: parseCoefficient('55'),
      total: parseCoefficient('100'),
      percent: '55.0000',
      met: true,
    })
    expect(result.byUnits).toEqual({ present: 4, total: 10, percent: '40.0000', met: false })
  })

  it.each([
    // u1–u3 in arrears; u1 attends but does not count when eligibleOnly.
    ['units, eligibleOnly: 4 of 7 up-to-date', 'units', true, true, 4, 7, '57.1429'],
    ['units, all: 5 of 10 is not more than half', 'units', false, false, 5, 10, '50.0000'],
  ] as const)('%s', (_name, base, eligibleOnly, reached, present, total, percent) => {
    const result = evaluateQuorum({
      rule: rule(base, eligibleOnly),
      call: 'first',
      units: building([1, 4, 5, 6, 7], [1, 2, 3]),
    })
    expect(result.reached).toBe(reached)
    expect([result.byUnits.present, result.byUnits.total, result.byUnits.percent]).toEqual([
      present,
      total,
      percent,
    ])
  })

  it('restricts the coefficient to up-to-date units when eligibleOnly', () => {
    const result = evaluateQuorum({
      rule: rule('coefficient', true),
      call: 'first',
      units: building([1, 4, 5, 6], [1, 2, 3]),
    })
    expect([result.byCoefficient.present, result.byCoefficient.total, result.byCoefficient.percent]).toEqual([
      parseCoefficient('30'),
      parseCoefficient('50'),
      '60.0000',
    ])
  })

  it('is not reached with no units at all', () => {
    const result = evaluateQuorum({ rule: rule('both'), call: 'first', units: [] })
    expect([result.reached, result.byCoefficient.percent, result.byUnits.percent]).toEqual([
      false,
      '0.0000',
      '0.0000',
    ])
  })

  it('is not reached when every unit is in arrears and eligibleOnly', () => {
    const units = building([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(evaluateQuorum({ rule: rule('units', true), call: 'first', units }).reached).toBe(false)
  })
})

describe('evaluateQuorum: explanation', () => {
  it.each([
    [
      'coefficient',
      false,
      'first',
      'First call: 55.0000 % of the coefficient present, needs > 50 %: quorum reached.',
    ],
    [
      'units',
      false,
      'first',
      'First call: 4 of 10 units (40.0000 %) present, needs > 50 %: quorum not reached.',
    ],
    [
      'both',
      false,
      'second',
      'Second call: 55.0000 % of the coefficient and 4 of 10 units (40.0000 %) present, ' +
        'needs ≥ 30 % of each: quorum reached.',
    ],
    [
      'units',
      true,
      'first',
      'First call: 1 of 7 up-to-date units (14.2857 %) present, needs > 50 %: quorum not reached.',
    ],
  ] as const)('explains base %s (eligibleOnly %p) at %s call', (base, eligibleOnly, call, expected) => {
    const units = building([1, 2, 3, 7], eligibleOnly ? [1, 2, 3] : [])
    expect(evaluateQuorum({ rule: rule(base, eligibleOnly), call, units }).explanation).toBe(expected)
  })

  it('explains a call the rule does not allow', () => {
    const result = evaluateQuorum({ rule: rule('units', false, null), call: 'second', units: building([1]) })
    expect(result.explanation).toBe('Second call: not allowed by this rule, so there is no quorum.')
  })
})

describe('evaluateQuorum: invalid input', () => {
  it.each([
    ['a unit listed twice', [...building([1]), { id: 'u1', coefficient: 1n, upToDate: true, present: true }]],
    ['a negative coefficient', [{ id: 'x', coefficient: -1n, upToDate: true, present: true }]],
  ])('throws on %s', (_name, units) => {
    expect(() => evaluateQuorum({ rule: rule('coefficient'), call: 'first', units })).toThrow(RuleError)
  })
})

describe('evaluateQuorum by owners (heads)', () => {
  // u1–u3 belong to one owner (a developer keeping three units), u4 and u5 to a married couple together,
  // u6–u10 to five different owners: 1 + 1 + 5 = 7 heads.
  const owners = ['dev', 'dev', 'dev', 'couple', 'couple', 'o6', 'o7', 'o8', 'o9', 'o10']
  const withOwners = (present: number[], inArrears: number[] = []) =>
    building(present, inArrears).map((unit, index) => ({ ...unit, ownerKey: owners[index] }))

  it.each([
    // The developer's 50 % of the coefficient is still one head of seven.
    ['the developer alone (50 % of the coefficient)', [1, 2, 3], 1, 7, false],
    ['four small owners (20 % of the coefficient)', [7, 8, 9, 10], 4, 7, true],
    ['the developer, the couple and two others', [1, 4, 6, 7], 4, 7, true],
    ['three heads', [1, 2, 4, 6], 3, 7, false],
  ])('%s: %p of %p owners, reached %p', (_name, present, heads, total, reached) => {
    const result = evaluateQuorum({ rule: rule('owners'), call: 'first', units: withOwners(present) })
    expect([result.byOwners.present, result.byOwners.total, result.reached]).toEqual([heads, total, reached])
  })

  it('counts a unit without recorded owners as its own head, and leaves out owners in arrears', () => {
    const units = withOwners([6, 7, 8]).map((unit) =>
      unit.id === 'u10' ? { ...unit, ownerKey: undefined } : unit,
    )
    const all = evaluateQuorum({ rule: rule('owners'), call: 'first', units })
    expect(all.byOwners).toEqual({ present: 3, total: 7, percent: '42.8571', met: false })
    // o9 and o10 in arrears, counted only when up to date: 3 of 5 heads.
    const upToDate = evaluateQuorum({
      rule: rule('owners', true),
      call: 'first',
      units: withOwners([6, 7, 8], [9, 10]),
    })
    expect(upToDate.byOwners).toEqual({ present: 3, total: 5, percent: '60.0000', met: true })
    expect(upToDate.explanation).toBe(
      'First call: 3 of 5 up-to-date owners (60.0000 %) present, needs > 50 %: quorum reached.',
    )
  })
})
