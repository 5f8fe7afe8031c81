import { describe, expect, it } from 'bun:test'
import { assertThreshold } from '../decimal.ts'
import { getMajorityPreset, getQuorumPreset, majorityPresets, quorumPresets } from './presets.ts'
import type { MajorityDenominator, MajorityRule } from './types.ts'

describe('majority presets', () => {
  it.each<[string, MajorityRule['base'], MajorityDenominator, string | null, boolean, boolean]>([
    ['simple', 'coefficient', 'cast', null, false, false],
    ['absolute', 'coefficient', 'present', '>1/2', true, false],
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
      'ley284-art26-fees',
      'ley284-art35-first-call',
      'ley284-art35-second-call',
      'simple',
      'sixty-six-percent',
      'three-quarters',
      'two-thirds',
      'unanimity',
    ])
  })
})

describe('quorum presets', () => {
  it('ley284-ordinary: more than half of the coefficient at first call, 30 % at second', () => {
    expect(getQuorumPreset('ley284-ordinary')).toEqual({
      preset: 'ley284-ordinary',
      base: 'coefficient',
      eligibleOnly: false,
      firstCall: { numerator: 1, denominator: 2, strict: true },
      secondCall: { numerator: 30, denominator: 100, strict: false },
    })
  })

  it('half-both-first-call-only cannot meet at second call', () => {
    expect(getQuorumPreset('half-both-first-call-only')?.secondCall).toBeNull()
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
    const copy = getQuorumPreset('ley284-ordinary')
    if (!copy) throw new Error('ley284-ordinary exists')
    copy.firstCall.numerator = 0
    expect(quorumPresets['ley284-ordinary']?.firstCall.numerator).toBe(1)
  })

  it.each([
    ['a majority rule', () => Object.assign(majorityPresets.simple ?? {}, { base: 'units' })],
    [
      'a majority threshold',
      () => Object.assign(majorityPresets.absolute?.threshold ?? {}, { numerator: 0 }),
    ],
    [
      'a quorum threshold',
      () => Object.assign(quorumPresets['ley284-ordinary']?.firstCall ?? {}, { numerator: 0 }),
    ],
    ['the record itself', () => Object.assign(majorityPresets, { extra: majorityPresets.simple })],
  ])('refuses to edit %s in place', (_name, edit) => {
    expect(edit).toThrow(TypeError)
  })
})
