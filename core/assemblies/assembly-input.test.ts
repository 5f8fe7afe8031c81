import { describe, expect, it } from 'bun:test'
import { getQuorumPreset } from '../rules/presets.ts'
import { assertCallOrder, resolveQuorumRule, validateAssembly } from './assembly-input.ts'
import { appErrorOf, assemblyInput } from './testing.ts'

const half = { numerator: 1, denominator: 2, strict: true }

describe('resolveQuorumRule', () => {
  it('copies a preset by name', () => {
    expect(resolveQuorumRule('bylaws-coefficient-any-present')).toEqual(
      getQuorumPreset('bylaws-coefficient-any-present')!,
    )
  })

  it('accepts a custom rule and drops unknown fields', () => {
    const rule = { base: 'both', eligibleOnly: true, firstCall: half, secondCall: null, extra: 1 }
    expect(resolveQuorumRule(rule)).toEqual({
      base: 'both',
      eligibleOnly: true,
      firstCall: half,
      secondCall: null,
    })
  })

  it.each<[string, unknown, string]>([
    ['an unknown preset', 'mitad-mas-uno', 'quorumRule'],
    ['a missing rule', undefined, 'quorumRule'],
    [
      'an unknown base',
      { base: 'heads', eligibleOnly: false, firstCall: half, secondCall: null },
      'quorumRule.base',
    ],
    [
      'eligibleOnly not boolean',
      { base: 'units', eligibleOnly: 'yes', firstCall: half, secondCall: null },
      'quorumRule.eligibleOnly',
    ],
    [
      'a zero denominator',
      {
        base: 'units',
        eligibleOnly: false,
        firstCall: { numerator: 1, denominator: 0, strict: false },
        secondCall: null,
      },
      'quorumRule.firstCall',
    ],
    [
      'a fractional numerator',
      {
        base: 'units',
        eligibleOnly: false,
        firstCall: { numerator: 0.5, denominator: 1, strict: false },
        secondCall: null,
      },
      'quorumRule.firstCall',
    ],
    [
      'a threshold above 100 %',
      {
        base: 'units',
        eligibleOnly: false,
        firstCall: half,
        secondCall: { numerator: 3, denominator: 2, strict: false },
      },
      'quorumRule.secondCall',
    ],
    [
      'strict missing',
      { base: 'units', eligibleOnly: false, firstCall: { numerator: 1, denominator: 2 }, secondCall: null },
      'quorumRule.firstCall.strict',
    ],
    [
      'a missing second call',
      { base: 'units', eligibleOnly: false, firstCall: half },
      'quorumRule.secondCall',
    ],
  ])('answers 422 for %s', async (_name, rule, field) => {
    const error = await appErrorOf(() => resolveQuorumRule(rule))
    expect([error.status, error.details]).toEqual([422, [expect.objectContaining({ field })]])
  })
})

describe('validateAssembly', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['an unknown kind', { kind: 'annual' }, 'kind'],
    ['an unknown modality', { modality: 'hybrid' }, 'modality'],
    ['a meeting link that is not a URL', { meetingUrl: 'zoom' }, 'meetingUrl'],
    ['a meeting link of another scheme', { meetingUrl: 'ftp://x.example.com' }, 'meetingUrl'],
    ['a proxy cap of zero', { maxProxiesPerHolder: 0 }, 'maxProxiesPerHolder'],
    ['an invalid date', { firstCallAt: new Date('nope') }, 'firstCallAt'],
  ])('answers 422 for %s', async (_name, changes, field) => {
    const error = await appErrorOf(() => validateAssembly({ ...assemblyInput(), ...changes }, true))
    expect([error.status, error.details]).toEqual([422, [expect.objectContaining({ field })]])
  })

  it('keeps only the fields that were given when editing', () => {
    expect(validateAssembly({ presidentName: ' Ana ', secretaryName: null }, false)).toEqual({
      presidentName: 'Ana',
      secretaryName: null,
    })
  })
})

describe('assertCallOrder', () => {
  it.each([
    ['an hour later', 3_600_000, true],
    ['at the same time', 0, false],
    ['earlier', -60_000, false],
  ])('second call %s: valid %p', async (_name, offset, valid) => {
    const first = new Date('2026-03-01T18:00:00Z')
    const call = () => assertCallOrder(first, new Date(first.getTime() + offset))
    if (valid) expect(call).not.toThrow()
    else expect((await appErrorOf(call)).status).toBe(422)
  })
})
