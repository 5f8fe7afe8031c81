/**
 * Shapes of the assembly routes the console reads (functions/organizations/[organizationId]/assemblies/**),
 * owned by core: type-only imports, so nothing of core reaches the bundle.
 */

import type { LiveQuorum } from '../../../core/assemblies/quorum.ts'
import type {
  AgendaItemView,
  AssemblyView,
  NoticeStatus,
  ProxyRecord,
} from '../../../core/assemblies/schemas.ts'
import type { Threshold } from '../../../core/rules/types.ts'

export type { LiveQuorum, NoticeStatus, ProxyRecord, Threshold }

export type Assembly = AssemblyView

export type AgendaItem = AgendaItemView
