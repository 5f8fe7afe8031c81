/** Shapes of the motion and vote routes the voting page reads (functions/organizations/[organizationId]/motions/**). */

export interface MotionOption {
  key: string
  label: string
  kind: 'yes' | 'no' | 'abstain' | 'choice'
}

export interface MotionDetail {
  id: string
  assemblyId: string
  title: string
  description: string | null
  options: MotionOption[]
  choiceMode: 'single' | 'multiple'
  /** An election's seats: a ballot ticks up to this many candidates; null otherwise. */
  seats?: number | null
  secret: boolean
  majorityRule: { eligibleOnly: boolean; base: string }
  status: 'draft' | 'open' | 'closed'
}

export type { VotableUnit } from '../../../core/motions/voting-facts.ts'

export interface VoteReceipt {
  unitId: string
  unitNumber: string
  role: 'owner' | 'proxy'
  proxyId: string | null
  receiptCode: string
  receiptHash: string
  sequence: string
}

/** What the device remembers of a vote it sent (to show it again after a reload). */
export interface StoredReceipt {
  unitId: string
  unitNumber: string
  receiptCode: string
  optionKeys: string[]
}

export interface Rejection {
  unitId: string
  code: string
  message: string
}
