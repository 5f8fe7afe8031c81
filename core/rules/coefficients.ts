import { DecimalError, formatCoefficient, HUNDRED_PERCENT, sumCoefficients } from '../decimal.ts'

/** A unit as seen by coefficient validation: its number and its coefficient in nano-percent. */
export interface CoefficientUnit {
  number: string
  coefficient: bigint
}

/** Machine-readable reasons a coefficient table is rejected. */
export type CoefficientErrorCode =
  | 'empty'
  | 'missing_number'
  | 'duplicate_number'
  | 'zero_coefficient'
  | 'negative_coefficient'
  | 'sum_mismatch'

export interface CoefficientError {
  /** Unit number the error is about; absent for errors about the whole table. */
  unit?: string
  code: CoefficientErrorCode
  message: string
}

export type CoefficientValidation =
  | { ok: true; total: bigint; difference: bigint }
  | { ok: false; total: bigint; difference: bigint; errors: CoefficientError[] }

/** Default tolerance: 0.000001 % (1,000 nano-percent), to absorb rounding in registry documents. */
export const DEFAULT_COEFFICIENT_TOLERANCE = 1000n

/**
 * Checks a PH's coefficient table: not empty, every unit numbered once, every coefficient positive,
 * and the total equal to 100 % within `tolerance` (nano-percent, inclusive).
 * `difference` is total − 100 % (negative when short), reported even when ok.
 */
export function validateCoefficients(
  units: readonly CoefficientUnit[],
  tolerance: bigint = DEFAULT_COEFFICIENT_TOLERANCE,
): CoefficientValidation {
  if (tolerance < 0n) throw new DecimalError('Tolerance must not be negative')

  const total = sumCoefficients(units.map((unit) => unit.coefficient))
  const difference = total - HUNDRED_PERCENT
  if (units.length === 0) {
    return { ok: false, total, difference, errors: [{ code: 'empty', message: 'There are no units' }] }
  }

  const errors: CoefficientError[] = [...numberErrors(units), ...coefficientErrors(units)]
  const absolute = difference < 0n ? -difference : difference
  if (absolute > tolerance) {
    errors.push({
      code: 'sum_mismatch',
      message:
        `Coefficients add up to ${formatCoefficient(total)} %, not 100 % ` +
        `(difference ${formatCoefficient(difference)} %, tolerance ${formatCoefficient(tolerance)} %)`,
    })
  }

  return errors.length === 0 ? { ok: true, total, difference } : { ok: false, total, difference, errors }
}

/**
 * Splits exactly 100 % among units proportionally to positive integer weights (e.g. areas in m²),
 * using the largest-remainder method so the result adds up to exactly HUNDRED_PERCENT.
 * Ties in remainders go to the earlier unit, so the result is deterministic.
 */
export function distributeCoefficients(weights: readonly number[]): bigint[] {
  if (weights.length === 0) throw new DecimalError('Cannot distribute coefficients among zero units')
  for (const weight of weights) {
    if (!Number.isSafeInteger(weight) || weight <= 0) {
      throw new DecimalError(`Weights must be positive integers, got ${weight}`)
    }
  }

  const bigWeights = weights.map((weight) => BigInt(weight))
  const totalWeight = sumCoefficients(bigWeights)
  const shares = bigWeights.map((weight) => (HUNDRED_PERCENT * weight) / totalWeight)
  const remainders = bigWeights.map((weight, index) => ({
    index,
    rest: (HUNDRED_PERCENT * weight) % totalWeight,
  }))

  // Each floor loses less than one nano-percent, so fewer than weights.length units get one more.
  let leftover = HUNDRED_PERCENT - sumCoefficients(shares)
  remainders.sort((a, b) => (a.rest === b.rest ? a.index - b.index : a.rest > b.rest ? -1 : 1))
  for (const { index } of remainders) {
    if (leftover === 0n) break
    shares[index] = (shares[index] ?? 0n) + 1n
    leftover -= 1n
  }
  // A unit this small relative to the rest would get no vote at all; the weights are wrong, not the maths.
  if (shares.some((share) => share === 0n)) {
    throw new DecimalError('A weight is too small relative to the total to receive any coefficient')
  }
  return shares
}

function numberErrors(units: readonly CoefficientUnit[]): CoefficientError[] {
  const errors: CoefficientError[] = []
  const seen = new Set<string>()
  const reported = new Set<string>()
  for (const unit of units) {
    // '101' and ' 101 ' or '1a' and '1A' are the same door for the people in the building.
    const key = unit.number.trim().toUpperCase()
    if (key === '') {
      errors.push({ unit: unit.number, code: 'missing_number', message: 'A unit has no number' })
      continue
    }
    if (!seen.has(key)) {
      seen.add(key)
      continue
    }
    if (reported.has(key)) continue
    reported.add(key)
    errors.push({
      unit: unit.number.trim(),
      code: 'duplicate_number',
      message: `Unit number ${unit.number.trim()} appears more than once`,
    })
  }
  return errors
}

function coefficientErrors(units: readonly CoefficientUnit[]): CoefficientError[] {
  const errors: CoefficientError[] = []
  for (const unit of units) {
    if (unit.coefficient === 0n) {
      errors.push({
        unit: unit.number,
        code: 'zero_coefficient',
        message: `Unit ${unit.number} has a zero coefficient`,
      })
    } else if (unit.coefficient < 0n) {
      errors.push({
        unit: unit.number,
        code: 'negative_coefficient',
        message: `Unit ${unit.number} has a negative coefficient (${formatCoefficient(unit.coefficient)} %)`,
      })
    }
  }
  return errors
}
