import type { Static } from '@sinclair/typebox'
import type { MotionOptionSchema } from '../motions/schemas.ts'
import type { MajorityRuleSchema, QuorumRuleSchema, ThresholdSchema } from './schemas.ts'
/**
 * Shared vocabulary of the assembly rules. Everything here is plain data so that
 * rules can be stored (jsonb), shown to users and evaluated by the pure functions
 * beside this file. Thresholds are data, never constants in code.
 */

/** What a share is measured in: the units' coefficients, or a head count of units. */
export type Base = 'coefficient' | 'units'

/**
 * An exact fraction used as a threshold, e.g. 51/100 or 2/3.
 * `strict: true` means "more than" (>), otherwise "at least" (>=). Its schema: ./schemas.ts.
 */
export type Threshold = Static<typeof ThresholdSchema>

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

/**
 * A quorum rule: the base, whether only up-to-date units count, the first call's threshold and the
 * second call's (null: the meeting cannot be held at a second call). Its schema: ./schemas.ts.
 */
export type QuorumRule = Static<typeof QuorumRuleSchema>

/** Against which set of units a majority is measured. */
export type MajorityDenominator =
  /** units that cast a vote (abstentions included only when `abstentionsCount`) */
  | 'cast'
  /** units present when the motion closed */
  | 'present'
  /** every unit entitled to vote (all units, or only up-to-date ones when `eligibleOnly`) */
  | 'eligible'

/**
 * A majority rule: what it is measured in and against (`denominator`), the share the leading option
 * needs (`threshold`; null: relative majority, more than any other option), whether abstentions count
 * in the 'cast' denominator, whether only up-to-date units vote. Its schema: ./schemas.ts.
 */
export type MajorityRule = Static<typeof MajorityRuleSchema>

/** What a PH does with units in arrears (not al día). */
export type ArrearsVoting = 'voice_no_vote' | 'full_vote'

export type OptionKind = 'yes' | 'no' | 'abstain' | 'choice'

/** An option of a motion; `key` is stable within it ('yes', 'no', 'abstain', 'a', 'b'). Its schema: ../motions/schemas.ts. */
export type MotionOption = Static<typeof MotionOptionSchema>

export type ChoiceMode = 'single' | 'multiple'
