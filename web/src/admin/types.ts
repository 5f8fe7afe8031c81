/** Shapes of the assembly routes the console reads (functions/organizations/[organizationId]/assemblies/**). */

import type { Threshold } from '../../../core/rules/types.ts'

export type { Threshold }

export interface Assembly {
  id: string
  number: number
  title: string
  kind: 'ordinary' | 'extraordinary'
  modality: 'in_person' | 'remote' | 'mixed'
  location: string | null
  meetingUrl: string | null
  firstCallAt: string
  secondCallAt: string | null
  currentCall: 'first' | 'second'
  status: 'draft' | 'convened' | 'in_progress' | 'suspended' | 'closed' | 'cancelled'
  quorumRule: {
    preset?: string
    base: string
    eligibleOnly: boolean
    firstCall: Threshold
    secondCall: Threshold | null
  }
  convenedBy: string | null
  convenerPosition: string | null
  callText: string | null
  noticedAt: string | null
  noticeWindowOverride: string | null
  presidentName: string | null
  secretaryName: string | null
  officersElection: string | null
}

export interface LiveQuorum {
  reached: boolean
  call: 'first' | 'second'
  threshold: Threshold | null
  explanation: string
  byCoefficient: { present: string; total: string; percent: string; met: boolean }
  byUnits: { present: number; total: number; percent: string; met: boolean }
}

export interface AgendaItem {
  id: string
  position: number
  title: string
  description: string | null
  /** The discussion summary, for the acta (art. 71.7). */
  notes: string | null
}

export interface ProxyRecord {
  id: string
  grantorUnitId: string
  unitNumber: string
  holderPersonId: string
  holderName: string
  holderEmail: string | null
  hasDocument: boolean
  status: 'active' | 'revoked' | 'pending' | 'refused'
  instructions: Record<string, string> | null
  filedByOwner: boolean
  revokedReason: string | null
}

/** GET …/assemblies/:id/notice */
export interface NoticeStatus {
  missing: string[]
  window: { days: number; min: number; max: number; inside: boolean }
  notices: { id: string; kind: string; changed: string[]; subject: string; text: string; sentAt: string }[]
}
