import type { AssemblyStatus } from './types.ts'

/** The statuses an assembly may move to from each status; closed and cancelled are final. */
export const ASSEMBLY_TRANSITIONS: Readonly<Record<AssemblyStatus, readonly AssemblyStatus[]>> =
  Object.freeze({
    draft: ['convened', 'cancelled'],
    convened: ['in_progress', 'cancelled'],
    in_progress: ['suspended', 'closed'],
    suspended: ['in_progress', 'closed'],
    closed: [],
    cancelled: [],
  })

/** Whether an assembly in `from` may move to `to`. */
export function canTransition(from: AssemblyStatus, to: AssemblyStatus): boolean {
  return ASSEMBLY_TRANSITIONS[from]?.includes(to) ?? false
}

/** The `assembly_events.kind` written for a transition: what the acta lists as start, suspension… */
export function transitionEventKind(from: AssemblyStatus, to: AssemblyStatus): string {
  if (to === 'in_progress') return from === 'suspended' ? 'resumed' : 'started'
  if (to === 'convened') return 'convened'
  return to
}

/** Closed or cancelled: nothing about the assembly may change any more. */
export function isFinished(status: AssemblyStatus): boolean {
  return status === 'closed' || status === 'cancelled'
}

/** Attendance (check-in, check-out) is taken from the call until the close. */
export function acceptsAttendance(status: AssemblyStatus): boolean {
  return status === 'convened' || status === 'in_progress' || status === 'suspended'
}

/** Votes are accepted only while the meeting runs (not in a draft, a suspension or after the close). */
export function acceptsVotes(status: AssemblyStatus): boolean {
  return status === 'in_progress'
}
