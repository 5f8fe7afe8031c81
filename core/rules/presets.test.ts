import { describe, expect, it } from 'bun:test'
import { assertThreshold } from '../decimal.ts'
import { getMajorityPreset, getQuorumPreset, majorityPresets, quorumPresets } from './presets.ts'
import type { MajorityDenominator, MajorityRule } from './types.ts'

describe('majority presets', () => {
  it.each<[string, MajorityRule['base'], MajorityDenominator, string | null, boolean, boolean]>([
    ['simple', 'coefficient', 'cast', null, false, false],
    ['absolute', 'coefficient', 'present', '>1/2', true, false],
    ['fifty-one-present', 'coefficient', 'present', '51/100', true, false],
    ['ley284-common-areas', 'units', 'eligible', '51/100', true, false],
    ['ley284-art35-first-call', 'units', 'eligible', '51/100', true, true],
    ['ley284-art35-second-call', 'units', 'eligible', '30/100', true, true],
    ['ley284-art26-fees', 'units', 'eligible', '66/100', true, true],
    ['two-thirds', 'coefficient', 'present', '2/3', true, false],
    ['three-quarters', 'coefficient', 'present', '3/4', true, false],
    ['unanimity', 'coefficient', 'eligible', '1/1', true, false],
    ['sixty-six-percent', 'units', 'eligible', '66/100', true, false],
  ])(
    '%s: base %s over %s, threshold %p',
    (name, base, denominator, threshold, abstentionsCount, eligibleOnly) => {
      const rule = getMajorityPreset(name)
      const written = rule?.threshold
        ? `${rule.threshold.strict ? '>' : ''}${rule.threshold.numerator}/${rule.threshold.denominator}`
        : null
      expect(rule && { ...rule, threshold: written }).toEqual({
        preset: name,
        base,
        denominator,
        threshold,
        abstentionsCount,
        eligibleOnly,
      })
    },
  )

  it('has exactly the documented names', () => {
    expect(Object.keys(majorityPresets).sort()).toEqual([
      'absolute',
      'fifty-one-present',
      'ley284-art26-fees',
      'ley284-art35-first-call',
      'ley284-art35-second-call',
      'ley284-common-areas',
      'simple',
      'sixty-six-percent',
      'three-quarters',
      'two-thirds',
      'unanimity',
    ])
  })
})

describe('quorum presets', () => {
  it.each([
    ['ley284-owners-new-call', 'owners', 'new_convocatoria', null],
    [
      'ley284-owners-bylaws-reduced',
      'owners',
      'bylaws_reduced',
      { numerator: 1, denominator: 3, strict: false },
    ],
    ['ley284-owners-any-present', 'owners', 'any_present', { numerator: 0, denominator: 1, strict: true }],
    ['bylaws-coefficient-new-call', 'coefficient', 'new_convocatoria', null],
    ['bylaws-units-any-present', 'units', 'any_present', { numerator: 0, denominator: 1, strict: true }],
  ] as const)('%s: more than half by %s at first call; second call %s', (name, base, kind, second) => {
    expect(getQuorumPreset(name)).toEqual({
      preset: name,
      base,
      eligibleOnly: false,
      firstCall: { numerator: 1, denominator: 2, strict: true },
      secondCall: second,
      secondCallKind: kind,
    })
  })

  it('offers no preset without a source (the old ley284-ordinary and its 30 % second call are gone)', () => {
    expect(getQuorumPreset('ley284-ordinary')).toBeNull()
    expect(Object.keys(quorumPresets)).toHaveLength(9)
  })

  it.each(Object.keys(quorumPresets))('%s names itself', (name) => {
    expect(quorumPresets[name]?.preset).toBe(name)
  })
})

describe('preset thresholds', () => {
  const thresholds = [
    ...Object.entries(majorityPresets).map(([name, rule]) => [name, rule.threshold] as const),
    ...Object.entries(quorumPresets).flatMap(([name, rule]) => [
      [`${name} first call`, rule.firstCall] as const,
      [`${name} second call`, rule.secondCall] as const,
    ]),
  ].filter((entry) => entry[1] !== null)

  it.each(thresholds)('%s is a valid fraction no greater than 1', (_name, threshold) => {
    if (!threshold) throw new Error('filtered above')
    expect(() => assertThreshold(threshold)).not.toThrow()
    expect(threshold.numerator <= threshold.denominator).toBe(true)
  })
})

describe('preset lookup', () => {
  it.each(['unknown', 'toString', '__proto__', 'constructor', ''])('returns null for %p', (name) => {
    expect([getMajorityPreset(name), getQuorumPreset(name)]).toEqual([null, null])
  })

  it('returns a majority copy that can be edited without touching the preset', () => {
    const copy = getMajorityPreset('two-thirds')
    if (!copy?.threshold) throw new Error('two-thirds has a threshold')
    copy.threshold.numerator = 1
    expect(majorityPresets['two-thirds']?.threshold?.numerator).toBe(2)
  })

  it('returns a quorum copy that can be edited without touching the preset', () => {
    const copy = getQuorumPreset('ley284-owners-new-call')
    if (!copy) throw new Error('ley284-owners-new-call exists')
    copy.firstCall.numerator = 0
    expect(quorumPresets['ley284-owners-new-call']?.firstCall.numerator).toBe(1)
  })

  it.each([
    ['a majority rule', () => Object.assign(majorityPresets.simple ?? {}, { base: 'units' })],
    [
      'a majority threshold',
      () => Object.assign(majorityPresets.absolute?.threshold ?? {}, { numerator: 0 }),
    ],
    [
      'a quorum threshold',
      () => Object.assign(quorumPresets['ley284-owners-new-call']?.firstCall ?? {}, { numerator: 0 }),
    ],
    ['the record itself', () => Object.assign(majorityPresets, { extra: majorityPresets.simple })],
  ])('refuses to edit %s in place', (_name, edit) => {
    expect(edit).toThrow(TypeError)
  })
})
