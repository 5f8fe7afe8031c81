/**
 * Shared vocabulary of the assembly rules. Everything here is plain data so that
 * rules can be stored (jsonb), shown to users and evaluated by the pure functions
 * beside this file. Thresholds are data, never constants in code.
 */

/** What a share is measured in: the units' coefficients, or a head count of units. */
export type Base = 'coefficient' | 'units'

/**
 * An exact fraction used as a threshold, e.g. 51/100 or 2/3.
 * `strict: true` means "more than" (>), otherwise "at least" (>=).
 */
export interface Threshold {
  numerator: number
  denominator: number
  strict: boolean
}

/** Which call of the meeting is running (primera / segunda convocatoria). */
export type Call = 'first' | 'second'

export interface QuorumRule {
  /** Name of the preset this rule was taken from, if any (informative only). */
  preset?: string
  /** 'both' requires the threshold by coefficient and by units at the same time. */
  base: Base | 'both'
  /** Count only units that are up to date (al día), in numerator and denominator. */
  eligibleOnly: boolean
  firstCall: Threshold
  /** null: the meeting cannot be held at a second call. */
  secondCall: Threshold | null
}

/** Against which set of units a majority is measured. */
export type MajorityDenominator =
  /** units that cast a vote (abstentions included only when `abstentionsCount`) */
  | 'cast'
  /** units present when the motion closed */
  | 'present'
  /** every unit entitled to vote (all units, or only up-to-date ones when `eligibleOnly`) */
  | 'eligible'

export interface MajorityRule {
  preset?: string
  base: Base
  denominator: MajorityDenominator
  /**
   * null: relative (simple) majority: the leading option must have more than any other
   * (for yes/no: more yes than no). Otherwise the leading option needs this share of the denominator.
   */
  threshold: Threshold | null
  /** Whether abstentions count in the 'cast' denominator. */
  abstentionsCount: boolean
  /** Only up-to-date units may vote and count (e.g. Ley 284 art. 35). */
  eligibleOnly: boolean
}

export type OptionKind = 'yes' | 'no' | 'abstain' | 'choice'

export interface MotionOption {
  /** Stable key within the motion, e.g. 'yes', 'no', 'abstain', 'a', 'b'. */
  key: string
  label: string
  kind: OptionKind
}

export type ChoiceMode = 'single' | 'multiple'
