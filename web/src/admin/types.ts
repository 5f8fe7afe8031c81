/**
 * Shapes of the PH and assembly routes the console reads (functions/organizations/[organizationId]/**),
 * owned by core: type-only imports, so nothing of core reaches the bundle.
 */

import type { LiveQuorum } from '../../../core/assemblies/quorum.ts'
import type {
  AgendaItemView,
  AssemblyDocumentView,
  AssemblyView,
  NoticeStatus,
  ProxyRecord,
} from '../../../core/assemblies/schemas.ts'
import type { MotionResultView } from '../../../core/motions/schemas.ts'
import type { OrganizationView } from '../../../core/ph/schemas.ts'
import type { Threshold } from '../../../core/rules/types.ts'

export type { LiveQuorum, NoticeStatus, ProxyRecord, Threshold }

export type Assembly = AssemblyView

export type AgendaItem = AgendaItemView

export type AssemblyDocument = AssemblyDocumentView

/** GET /organizations/:organizationId */
export type Organization = OrganizationView

/** A closed motion's frozen result (…/motions/:motionId/result, …/assemblies/:assemblyId/results). */
export type MotionResult = MotionResultView
