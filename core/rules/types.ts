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

/**
 * What a quorum is measured in. 'owners' counts heads: one per owner (titular), however many units the
 * owner has; co-owners of a unit are that unit's one representative, so a unit's set of owners is one
 * head and units held by exactly the same set of owners are one head. 'both' requires the threshold by
 * coefficient and by units at the same time.
 */
export type QuorumBase = Base | 'owners' | 'both'

/** What happens when the first call fails (segunda convocatoria), as the PH's by-laws choose. */
export type SecondCallKind =
  /** No second call in the same notice: a new convocatoria must be sent. */
  | 'new_convocatoria'
  /** A reduced quorum fixed by the by-laws (the threshold in `secondCall`). */
  | 'bylaws_reduced'
  /** Valid with any number present (at least one unit). */
  | 'any_present'

export interface QuorumRule {
  /** Name of the preset this rule was taken from, if any (informative only). */
  preset?: string
  base: QuorumBase
  /** Count only units that are up to date (al día), in numerator and denominator. */
  eligibleOnly: boolean
  firstCall: Threshold
  /** null: the meeting cannot be held at a second call. */
  secondCall: Threshold | null
  /** How the second call was chosen (informative; `secondCall` is what is evaluated). */
  secondCallKind?: SecondCallKind
  /** true: units in arrears count whatever the PH's arrears setting says. */
  countArrears?: boolean
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
  /** true: units in arrears vote and count whatever the PH's arrears setting says. */
  countArrears?: boolean
}

/** What a PH does with units in arrears (not al día). */
export type ArrearsVoting = 'voice_no_vote' | 'full_vote'

export type OptionKind = 'yes' | 'no' | 'abstain' | 'choice'

export interface MotionOption {
  /** Stable key within the motion, e.g. 'yes', 'no', 'abstain', 'a', 'b'. */
  key: string
  label: string
  kind: OptionKind
}

export type ChoiceMode = 'single' | 'multiple'
