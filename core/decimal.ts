import type { Threshold } from './rules/types.ts'

/**
 * Exact arithmetic for coefficients. A coefficient is a percentage with up to 9 decimals
 * (PostgreSQL `numeric(12,9)`), held as a bigint count of 1e-9 percent ("nano-percent").
 * Floating point never takes part in sums or comparisons: legal outcomes hinge on the last digit.
 */

/** Number of decimals of a coefficient (scale of the `numeric(12,9)` column). */
export const COEFFICIENT_SCALE = 9

/** 1 % in nano-percent. */
export const ONE_PERCENT = 10n ** BigInt(COEFFICIENT_SCALE)

/** 100 % in nano-percent: what the coefficients of all units of a PH must add up to. */
export const HUNDRED_PERCENT = 100n * ONE_PERCENT

// numeric(12,9) leaves 3 integer digits; anything larger could not be stored.
const MAX_INTEGER_DIGITS = 12 - COEFFICIENT_SCALE

/** Thrown when a text is not a valid coefficient or an argument is outside its domain. */
export class DecimalError extends Error {
  override name = 'DecimalError'
}

/**
 * Parses a coefficient written as a percentage ('8.333333333', '8,5', '10', ' 7.25 ')
 * into nano-percent. Rejects empty text, signs, thousands separators, more than 9 decimals
 * and values that do not fit `numeric(12,9)`.
 */
export function parseCoefficient(text: string): bigint {
  const trimmed = text.trim()
  if (trimmed === '') throw new DecimalError('Coefficient is empty')
  if (trimmed.startsWith('-')) throw new DecimalError(`Coefficient cannot be negative: '${trimmed}'`)

  // Spreadsheets in Panama often use a decimal comma; both separators are accepted, never both at once.
  const match = /^(\d+)(?:[.,](\d+))?$/.exec(trimmed)
  if (!match) throw new DecimalError(`Coefficient is not a decimal number: '${trimmed}'`)

  const integerPart = match[1] ?? ''
  const fraction = match[2] ?? ''
  if (fraction.length > COEFFICIENT_SCALE) {
    throw new DecimalError(`Coefficient has more than ${COEFFICIENT_SCALE} decimals: '${trimmed}'`)
  }
  if (integerPart.replace(/^0+/, '').length > MAX_INTEGER_DIGITS) {
    throw new DecimalError(
      `Coefficient is too large (at most ${MAX_INTEGER_DIGITS} integer digits): '${trimmed}'`,
    )
  }

  return BigInt(integerPart) * ONE_PERCENT + BigInt(fraction.padEnd(COEFFICIENT_SCALE, '0'))
}

/**
 * Formats nano-percent as a decimal string with `decimals` digits (0–9), rounding half away
 * from zero when fewer than 9 are asked for. Trailing zeros are kept: 8500000000n → '8.500000000'.
 */
export function formatCoefficient(value: bigint, decimals = COEFFICIENT_SCALE): string {
  assertDecimals(decimals, COEFFICIENT_SCALE)
  return formatScaled(value, ONE_PERCENT, decimals)
}

/** Exact sum of coefficients in nano-percent. */
export function sumCoefficients(values: readonly bigint[]): bigint {
  let total = 0n
  for (const value of values) total += value
  return total
}

/**
 * Compares aNum/aDen with bNum/bDen exactly by cross multiplication.
 * Denominators must be positive. Returns -1, 0 or 1 like a sort comparator.
 */
export function compareRatio(aNum: bigint, aDen: bigint, bNum: bigint, bDen: bigint): -1 | 0 | 1 {
  if (aDen <= 0n || bDen <= 0n) throw new DecimalError('Ratio denominators must be positive')
  const left = aNum * bDen
  const right = bNum * aDen
  if (left < right) return -1
  if (left > right) return 1
  return 0
}

/**
 * Whether part/whole reaches the threshold exactly: `>` when the threshold is strict, `>=` otherwise.
 * A zero whole never meets a threshold (nothing to measure against).
 */
export function meetsThreshold(part: bigint, whole: bigint, threshold: Threshold): boolean {
  assertThreshold(threshold)
  if (whole < 0n || part < 0n) throw new DecimalError('Part and whole must not be negative')
  if (whole === 0n) return false
  const comparison = compareRatio(part, whole, BigInt(threshold.numerator), BigInt(threshold.denominator))
  return threshold.strict ? comparison > 0 : comparison >= 0
}

/**
 * part/whole as a percentage string with `decimals` digits, rounded half-up exactly,
 * e.g. (512345n, 1000000n) → '51.2345'. A zero whole shows as 0 so empty meetings still display.
 */
export function toPercentString(part: bigint, whole: bigint, decimals = 4): string {
  assertDecimals(decimals, 20)
  if (whole < 0n) throw new DecimalError('Whole must not be negative')
  if (whole === 0n) return formatScaled(0n, 1n, decimals)
  // Scale so that the division keeps every digit we display; formatScaled does the rounding.
  return formatScaled(part * 100n, whole, decimals)
}

/**
 * Human-readable threshold value for explanations: '50 %', '2/3'.
 * Fractions that are not a whole percentage stay as fractions to remain exact.
 */
export function formatThresholdValue(threshold: Threshold): string {
  assertThreshold(threshold)
  const hundredTimes = threshold.numerator * 100
  if (hundredTimes % threshold.denominator === 0) return `${hundredTimes / threshold.denominator} %`
  return `${threshold.numerator}/${threshold.denominator}`
}

/** Threshold with its comparison for explanations: '> 50 %' (strict), '≥ 51 %', '≥ 2/3'. */
export function formatThreshold(threshold: Threshold): string {
  return `${threshold.strict ? '>' : '≥'} ${formatThresholdValue(threshold)}`
}

/** Throws unless the threshold is a fraction of non-negative safe integers with a positive denominator. */
export function assertThreshold(threshold: Threshold): void {
  const { numerator, denominator } = threshold
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator)) {
    throw new DecimalError(`Threshold must be a fraction of integers, got ${numerator}/${denominator}`)
  }
  if (denominator <= 0 || numerator < 0) {
    throw new DecimalError(
      `Threshold needs numerator >= 0 and denominator > 0, got ${numerator}/${denominator}`,
    )
  }
}

function assertDecimals(decimals: number, max: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > max) {
    throw new DecimalError(`Decimals must be an integer from 0 to ${max}, got ${decimals}`)
  }
}

// Writes numerator/denominator with `decimals` digits, rounding half away from zero.
function formatScaled(numerator: bigint, denominator: bigint, decimals: number): string {
  const negative = numerator < 0n !== denominator < 0n && numerator !== 0n
  const num = numerator < 0n ? -numerator : numerator
  const den = denominator < 0n ? -denominator : denominator
  const factor = 10n ** BigInt(decimals)
  const scaled = num * factor
  let units = scaled / den
  if ((scaled % den) * 2n >= den) units += 1n

  const integerPart = (units / factor).toString()
  const fraction = (units % factor).toString().padStart(decimals, '0')
  const sign = negative && units !== 0n ? '-' : ''
  return decimals === 0 ? `${sign}${integerPart}` : `${sign}${integerPart}.${fraction}`
}
