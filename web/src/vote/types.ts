/**
 * Shapes of the motion and vote routes the voting page reads (functions/organizations/[organizationId]/motions/**),
 * owned by core: type-only imports, so nothing of core reaches the bundle.
 */

import type { BallotRefusal } from '../../../core/motions/eligibility.ts'
import type { MotionView, VotableUnit, VoteReceipt } from '../../../core/motions/schemas.ts'

export type { VotableUnit, VoteReceipt }

/** GET …/motions/:motionId */
export type MotionDetail = MotionView

/** One unit refused in a `ballots_rejected` error (`details.rejected`). */
export type Rejection = BallotRefusal

/** What the device remembers of a vote it sent (to show it again after a reload). */
export interface StoredReceipt {
  unitId: string
  unitNumber: string
  receiptCode: string
  optionKeys: string[]
}
