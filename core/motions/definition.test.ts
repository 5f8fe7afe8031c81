import { describe, expect, it } from 'bun:test'
import type { MajorityRule, MotionOption } from '../rules/types.ts'
import { type MotionDefinitionInput, resolveMajorityRule, validateMotionDefinition } from './definition.ts'

const choice = (key: string): MotionOption => ({ key, label: key.toUpperCase(), kind: 'choice' })
const custom: MajorityRule = {
  base: 'units',
  denominator: 'eligible',
  threshold: { numerator: 2, denominator: 3, strict: false },
  abstentionsCount: true,
  eligibleOnly: true,
}

describe('validateMotionDefinition', () => {
  it('fills the defaults: yes/no/abstain in Spanish, simple majority, single choice, named, quorum required', () => {
    const result = validateMotionDefinition({ title: '  Aprobar el acta  ' })
    expect(result.ok && result.value).toMatchObject({
      title: 'Aprobar el acta',
      description: null,
      choiceMode: 'single',
      secret: false,
      requiresQuorum: true,
      majorityRule: { preset: 'simple', base: 'coefficient', denominator: 'cast', threshold: null },
    })
    expect(result.ok && result.value.options.map((option) => option.label)).toEqual([
      'Sí',
      'No',
      'Abstención',
    ])
  })

  it.each<[string, MotionDefinitionInput, string]>([
    ['no title', {}, 'title'],
    ['no options', { title: 't', options: [] }, 'options'],
    ['a malformed key', { title: 't', options: [{ key: 'Sí!', label: 'Sí', kind: 'yes' }] }, 'options.0.key'],
    ['a duplicate key', { title: 't', options: [choice('a'), choice('a')] }, 'options.1.key'],
    [
      'an empty label',
      { title: 't', options: [{ key: 'a', label: ' ', kind: 'choice' }] },
      'options.0.label',
    ],
    [
      'an unknown kind',
      { title: 't', options: [{ key: 'a', label: 'A', kind: 'maybe' as 'choice' }] },
      'options.0.kind',
    ],
    [
      'yes/no mixed with choices',
      { title: 't', options: [{ key: 'yes', label: 'Sí', kind: 'yes' }, choice('a')] },
      'options',
    ],
    ['a no without a yes', { title: 't', options: [{ key: 'no', label: 'No', kind: 'no' }] }, 'options'],
    [
      'only an abstention',
      { title: 't', options: [{ key: 'abstain', label: 'Abs', kind: 'abstain' }] },
      'options',
    ],
    ['multiple choice on yes/no', { title: 't', choiceMode: 'multiple' }, 'choiceMode'],
    ['an unknown preset', { title: 't', majorityRule: 'nope' }, 'majorityRule'],
    [
      'a bad base',
      { title: 't', majorityRule: { ...custom, base: 'people' as 'units' } },
      'majorityRule.base',
    ],
    [
      'a bad denominator',
      { title: 't', majorityRule: { ...custom, denominator: 'all' as 'cast' } },
      'majorityRule.denominator',
    ],
    [
      'a zero denominator',
      { title: 't', majorityRule: { ...custom, threshold: { numerator: 1, denominator: 0, strict: false } } },
      'majorityRule.threshold',
    ],
    [
      'more than 100 %',
      { title: 't', majorityRule: { ...custom, threshold: { numerator: 1, denominator: 1, strict: true } } },
      'majorityRule.threshold',
    ],
  ])('refuses %s', (_name, input, field) => {
    const result = validateMotionDefinition(input)
    expect(result.ok).toBe(false)
    expect(result.ok ? [] : result.issues.map((issue) => issue.field)).toContain(field)
  })

  it('stores only key, label and kind of each option, trimmed', () => {
    const options = [{ ...choice('a'), label: ' A ', color: 'red' } as MotionOption, choice('b')]
    const result = validateMotionDefinition({ title: 't', options })
    expect(result.ok && result.value.options).toEqual([{ key: 'a', label: 'A', kind: 'choice' }, choice('b')])
  })

  it('keeps current values on edit and checks the merged definition as a whole', () => {
    const created = validateMotionDefinition({
      title: 'Elegir',
      options: [choice('a'), choice('b')],
      choiceMode: 'multiple',
    })
    if (!created.ok) throw new Error('fixture')
    const renamed = validateMotionDefinition({ description: 'Dos ofertas' }, { current: created.value })
    expect(renamed.ok && renamed.value).toMatchObject({
      title: 'Elegir',
      choiceMode: 'multiple',
      description: 'Dos ofertas',
    })
    // Back to yes/no while the stored mode is multiple: the whole must still be consistent.
    const reset = validateMotionDefinition({ options: null }, { current: created.value })
    expect(reset.ok ? [] : reset.issues.map((issue) => issue.field)).toEqual(['choiceMode'])
  })
})

describe('resolveMajorityRule', () => {
  it('returns an editable copy of a preset', () => {
    const result = resolveMajorityRule('two-thirds')
    if (!result.ok) throw new Error('preset missing')
    result.value.threshold!.numerator = 99
    const again = resolveMajorityRule('two-thirds')
    expect(again.ok && again.value.threshold?.numerator).toBe(2)
  })

  it('copies only the known fields of a custom rule', () => {
    const result = resolveMajorityRule({ ...custom, extra: 'x' } as MajorityRule)
    expect(result.ok && result.value).toEqual(custom)
  })
})
