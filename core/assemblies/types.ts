import type { agendaItems, assemblies, assemblyEvents, attendance, proxies } from '../../db/schema/index.ts'
import type { ChangeNotifier } from '../changes/notifier.ts'
import type { Logger } from '../log.ts'

export type Assembly = typeof assemblies.$inferSelect
export type AssemblyStatus = Assembly['status']
export type AssemblyKind = Assembly['kind']
export type AssemblyModality = Assembly['modality']
export type AssemblyEvent = typeof assemblyEvents.$inferSelect
export type AgendaItem = typeof agendaItems.$inferSelect
export type ProxyRow = typeof proxies.$inferSelect
export type AttendanceRow = typeof attendance.$inferSelect
export type AttendanceMode = AttendanceRow['mode']

/** Told to the holder when a proxy stops being valid, e.g. because the owner checked in in person. */
export interface ProxyRevokedEvent {
  organizationId: string
  assemblyId: string
  proxyId: string
  unitId: string
  unitNumber: string
  holder: { personId: string; fullName: string; email: string | null; phone: string | null }
  /** 'owner_checked_in', or the reason given when revoking by hand. */
  reason: string
  revokedAt: Date
}

/**
 * Side channels of the assembly services, all optional. They run after the transaction commits, so
 * a listener never sees a change that was rolled back; their failures are logged, never thrown.
 */
export interface AssemblyDeps {
  /**
   * The process's change port: the service announces what it changed after commit (versions move,
   * the assembly's topic wakes) and publishes its typed messages for the live views through it.
   */
  changes?: ChangeNotifier
  /** Notification hook for proxy holders (email, WhatsApp… later). */
  onProxyRevoked?: (event: ProxyRevokedEvent) => void | Promise<void>
  /** Clock for rule checks (proxy validity, second-call time); defaults to the system clock. */
  now?: () => Date
  log?: Logger
}
