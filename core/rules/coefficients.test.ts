import { describe, expect, it } from 'bun:test'
import { DecimalError, HUNDRED_PERCENT, parseCoefficient, sumCoefficients } from '../decimal.ts'
import { type CoefficientUnit, distributeCoefficients, validateCoefficients } from './coefficients.ts'

function units(...coefficients: string[]): CoefficientUnit[] {
  return coefficients.map((text, index) => ({
    number: String(101 + index),
    coefficient: parseCoefficient(text),
  }))
}

function codes(result: ReturnType<typeof validateCoefficients>): string[] {
  return result.ok ? [] : result.errors.map((error) => error.code)
}

describe('validateCoefficients: the total', () => {
  it.each([
    ['exactly 100', true, units('33.333333333', '33.333333333', '33.333333334')],
    ['short by 0.000001 (within tolerance)', true, units('50', '49.999999')],
    ['over by 0.000001 (within tolerance)', true, units('50', '50.000001')],
    ['short by 0.000002', false, units('50', '49.999998')],
    ['over by 0.000002', false, units('50', '50.000002')],
    ['far off', false, units('10', '20')],
  ])('%s → ok %p', (_name, ok, table) => {
    expect(validateCoefficients(table).ok).toBe(ok)
  })

  it('reports total and signed difference', () => {
    const result = validateCoefficients(units('50', '49.999998'))
    expect(result.total).toBe(99_999_998_000n)
    expect(result.difference).toBe(-2000n)
  })

  it('reports the difference even when within tolerance', () => {
    expect(validateCoefficients(units('50', '50.000001')).difference).toBe(1000n)
  })

  it('explains a mismatch with the exact figures', () => {
    const result = validateCoefficients(units('50', '49.999998'))
    expect(result.ok ? '' : result.errors[0]?.message).toBe(
      'Coefficients add up to 99.999998000 %, not 100 % (difference -0.000002000 %, tolerance 0.000001000 %)',
    )
  })

  it.each([
    [0n, units('50', '49.999999'), false],
    [2000n, units('50', '49.999998'), true],
  ])('honours a tolerance of %p nano-percent', (tolerance, table, ok) => {
    expect(validateCoefficients(table, tolerance).ok).toBe(ok)
  })

  it('rejects a negative tolerance', () => {
    expect(() => validateCoefficients(units('100'), -1n)).toThrow(DecimalError)
  })
})

describe('validateCoefficients: the units', () => {
  it('rejects an empty list', () => {
    const result = validateCoefficients([])
    expect(codes(result)).toEqual(['empty'])
    expect(result.total).toBe(0n)
  })

  it.each([
    ['same number', ['101', '101'], '101'],
    ['same number with spaces', ['101', ' 101 '], '101'],
    ['same number in another case', ['1a', '1A'], '1A'],
  ])('rejects a duplicate: %s', (_name, numbers, reported) => {
    const table = numbers.map((number) => ({ number, coefficient: HUNDRED_PERCENT / 2n }))
    const result = validateCoefficients(table)
    expect(result.ok ? [] : result.errors).toEqual([
      { unit: reported, code: 'duplicate_number', message: `Unit number ${reported} appears more than once` },
    ])
  })

  it('reports a number repeated three times once', () => {
    const table = ['7', '7', '7', '8'].map((number) => ({ number, coefficient: HUNDRED_PERCENT / 4n }))
    expect(codes(validateCoefficients(table))).toEqual(['duplicate_number'])
  })

  it('rejects a unit without number', () => {
    const table = [
      { number: ' ', coefficient: HUNDRED_PERCENT / 2n },
      { number: '102', coefficient: HUNDRED_PERCENT / 2n },
    ]
    expect(codes(validateCoefficients(table))).toEqual(['missing_number'])
  })

  it.each([
    ['zero', 0n, 'zero_coefficient'],
    ['negative', -1n, 'negative_coefficient'],
  ])('rejects a %s coefficient and names the unit', (_name, coefficient, code) => {
    const table = [
      { number: 'A-1', coefficient },
      { number: 'A-2', coefficient: HUNDRED_PERCENT - coefficient },
    ]
    const result = validateCoefficients(table)
    expect(result.ok ? [] : result.errors.map((error) => [error.unit, error.code])).toEqual([['A-1', code]])
  })

  it('lists every problem at once', () => {
    const table = [
      { number: '1', coefficient: 0n },
      { number: '1', coefficient: 10n },
    ]
    expect(codes(validateCoefficients(table))).toEqual([
      'duplicate_number',
      'zero_coefficient',
      'sum_mismatch',
    ])
  })
})

describe('distributeCoefficients', () => {
  it.each([
    ['one unit', [1], [HUNDRED_PERCENT]],
    [
      'equal thirds, first gets the extra nano',
      [1, 1, 1],
      [33_333_333_334n, 33_333_333_333n, 33_333_333_333n],
    ],
    ['proportional', [1, 3], [25_000_000_000n, 75_000_000_000n]],
    ['largest remainder wins over position', [1, 2], [33_333_333_333n, 66_666_666_667n]],
    [
      'equal remainders go to the earlier units',
      [1, 1, 4],
      [16_666_666_667n, 16_666_666_667n, 66_666_666_666n],
    ],
  ])('%s', (_name, weights, expected) => {
    expect(distributeCoefficients(weights)).toEqual(expected)
  })

  it('gives the extra nano to the earlier of equal remainders', () => {
    expect(distributeCoefficients([1, 1, 1, 1, 1, 1, 1])).toEqual([
      14_285_714_286n,
      14_285_714_286n,
      14_285_714_286n,
      14_285_714_286n,
      14_285_714_286n,
      14_285_714_285n,
      14_285_714_285n,
    ])
  })

  it('splits 120 units of different sizes into exactly 100 % that validates', () => {
    const weights = Array.from({ length: 120 }, (_, index) => 45 + ((index * 37) % 110))
    const shares = distributeCoefficients(weights)
    const table = shares.map((coefficient, index) => ({ number: String(index + 1), coefficient }))
    expect(sumCoefficients(shares)).toBe(HUNDRED_PERCENT)
    expect(validateCoefficients(table, 0n).ok).toBe(true)
  })

  it('keeps the order of the weights (a bigger weight never gets less)', () => {
    const shares = distributeCoefficients([97, 13, 61, 13])
    expect(shares[0]! > shares[2]! && shares[2]! > shares[1]! && shares[1] === shares[3]).toBe(true)
  })

  it.each([
    ['no weights', []],
    ['a zero weight', [1, 0]],
    ['a negative weight', [1, -2]],
    ['a fractional weight', [1.5, 2]],
    ['a weight too small to get any share', [1, 200_000_000_000]],
  ])('rejects %s', (_name, weights) => {
    expect(() => distributeCoefficients(weights)).toThrow(DecimalError)
  })
})
