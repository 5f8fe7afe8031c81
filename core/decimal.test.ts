import { describe, expect, it } from 'bun:test'
import {
  COEFFICIENT_SCALE,
  compareRatio,
  DecimalError,
  formatCoefficient,
  formatThreshold,
  HUNDRED_PERCENT,
  meetsThreshold,
  parseCoefficient,
  sumCoefficients,
  toPercentString,
} from './decimal.ts'
import type { Threshold } from './rules/types.ts'

describe('constants', () => {
  it('uses 9 decimals and 100 % = 1e11 nano-percent', () => {
    expect(COEFFICIENT_SCALE).toBe(9)
    expect(HUNDRED_PERCENT).toBe(100_000_000_000n)
  })
})

describe('parseCoefficient', () => {
  it.each([
    ['8.333333333', 8_333_333_333n],
    ['8,5', 8_500_000_000n],
    ['10', 10_000_000_000n],
    ['  7.25  ', 7_250_000_000n],
    ['0.000000001', 1n],
    ['0', 0n],
    ['100', HUNDRED_PERCENT],
    ['008.5', 8_500_000_000n],
    ['999.999999999', 999_999_999_999n],
  ])('parses %p', (text, expected) => {
    expect(parseCoefficient(text)).toBe(expected)
  })

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['-1', /negative/],
    ['-0.5', /negative/],
    ['1.0000000001', /more than 9 decimals/],
    ['abc', /not a decimal/],
    ['1.2.3', /not a decimal/],
    ['1,000.5', /not a decimal/],
    ['+5', /not a decimal/],
    ['5.', /not a decimal/],
    ['.5', /not a decimal/],
    ['1e3', /not a decimal/],
    ['1000', /too large/],
  ])('rejects %p', (text, message) => {
    expect(() => parseCoefficient(text)).toThrow(DecimalError)
    expect(() => parseCoefficient(text)).toThrow(message)
  })
})

describe('formatCoefficient', () => {
  it.each([
    [8_500_000_000n, 9, '8.500000000'],
    [HUNDRED_PERCENT, 9, '100.000000000'],
    [1n, 9, '0.000000001'],
    [0n, 9, '0.000000000'],
    [-2000n, 9, '-0.000002000'],
    [8_333_333_333n, 4, '8.3333'],
    [8_333_350_000n, 4, '8.3334'],
    [8_333_349_999n, 4, '8.3333'],
    [9_999_999_999n, 2, '10.00'],
    [8_500_000_000n, 0, '9'],
    [-8_500_000_000n, 0, '-9'],
  ])('formats %p with %p decimals as %p', (value, decimals, expected) => {
    expect(formatCoefficient(value, decimals)).toBe(expected)
  })

  it('defaults to 9 decimals', () => {
    expect(formatCoefficient(12_000_000_000n)).toBe('12.000000000')
  })

  it.each([-1, 10, 1.5])('rejects %p decimals', (decimals) => {
    expect(() => formatCoefficient(1n, decimals)).toThrow(DecimalError)
  })

  it.each(['8.333333333', '0.000000001', '100.000000000', '42.5'])('round-trips %p', (text) => {
    expect(parseCoefficient(formatCoefficient(parseCoefficient(text)))).toBe(parseCoefficient(text))
  })
})

describe('sumCoefficients', () => {
  it.each([
    [[], 0n],
    [[1n], 1n],
    [[33_333_333_333n, 33_333_333_333n, 33_333_333_334n], HUNDRED_PERCENT],
  ])('sums %p exactly', (values, expected) => {
    expect(sumCoefficients(values)).toBe(expected)
  })
})

describe('compareRatio', () => {
  it.each([
    [1n, 2n, 2n, 4n, 0],
    [1n, 3n, 333_333_333n, 1_000_000_000n, 1],
    [2n, 3n, 666_666_667n, 1_000_000_000n, -1],
    [0n, 5n, 0n, 7n, 0],
  ] as const)('compares %p/%p with %p/%p', (aNum, aDen, bNum, bDen, expected) => {
    expect(compareRatio(aNum, aDen, bNum, bDen)).toBe(expected)
  })

  it.each([
    [0n, 1n],
    [1n, 0n],
    [-1n, 1n],
  ])('rejects denominators %p and %p', (aDen, bDen) => {
    expect(() => compareRatio(1n, aDen, 1n, bDen)).toThrow(DecimalError)
  })
})

describe('meetsThreshold', () => {
  const half: Threshold = { numerator: 1, denominator: 2, strict: false }
  const moreThanHalf: Threshold = { numerator: 1, denominator: 2, strict: true }
  const fiftyOne: Threshold = { numerator: 51, denominator: 100, strict: false }
  const twoThirds: Threshold = { numerator: 2, denominator: 3, strict: false }

  it.each([
    ['exactly half, at least half', 50n, 100n, half, true],
    ['exactly half, more than half', 50n, 100n, moreThanHalf, false],
    ['one nano above half, more than half', 50_000_000_001n, HUNDRED_PERCENT, moreThanHalf, true],
    ['50.999999999 %, 51 %', 50_999_999_999n, HUNDRED_PERCENT, fiftyOne, false],
    ['51 %, 51 %', 51_000_000_000n, HUNDRED_PERCENT, fiftyOne, true],
    ['40 of 80 units, 51 %', 40n, 80n, fiftyOne, false],
    ['41 of 80 units, 51 %', 41n, 80n, fiftyOne, true],
    ['66.666666666 %, 2/3', 66_666_666_666n, HUNDRED_PERCENT, twoThirds, false],
    ['2 of 3, 2/3', 2n, 3n, twoThirds, true],
    ['zero whole', 0n, 0n, { numerator: 0, denominator: 1, strict: false }, false],
  ] as const)('%s', (_name, part, whole, threshold, expected) => {
    expect(meetsThreshold(part, whole, threshold)).toBe(expected)
  })

  it.each([
    ['a zero denominator', { numerator: 1, denominator: 0, strict: false }],
    ['a negative numerator', { numerator: -1, denominator: 2, strict: false }],
    ['a fractional numerator', { numerator: 0.5, denominator: 2, strict: false }],
  ])('rejects a threshold with %s', (_name, threshold) => {
    expect(() => meetsThreshold(1n, 2n, threshold)).toThrow(DecimalError)
  })

  it('rejects a negative part', () => {
    expect(() => meetsThreshold(-1n, 2n, half)).toThrow(DecimalError)
  })
})

describe('toPercentString', () => {
  it.each([
    [512_345n, 1_000_000n, 4, '51.2345'],
    [49n, 80n, 4, '61.2500'],
    [1n, 3n, 4, '33.3333'],
    [2n, 3n, 4, '66.6667'],
    [1n, 8n, 2, '12.50'],
    [1n, 800n, 2, '0.13'],
    [1n, 3n, 0, '33'],
    [3n, 3n, 4, '100.0000'],
    [0n, 0n, 4, '0.0000'],
  ])('%p of %p with %p decimals is %p', (part, whole, decimals, expected) => {
    expect(toPercentString(part, whole, decimals)).toBe(expected)
  })

  it('defaults to 4 decimals', () => {
    expect(toPercentString(1n, 4n)).toBe('25.0000')
  })
})

describe('formatThreshold', () => {
  it.each([
    [1, 2, true, '> 50 %'],
    [51, 100, false, '≥ 51 %'],
    [2, 3, false, '≥ 2/3'],
    [3, 4, false, '≥ 75 %'],
    [1, 1, false, '≥ 100 %'],
  ])('formats %p/%p (strict %p) as %p', (numerator, denominator, strict, expected) => {
    expect(formatThreshold({ numerator, denominator, strict })).toBe(expected)
  })
})
