import { publishToAssembly } from './events.ts'
import type { AssemblyDeps } from './types.ts'

/**
 * "Remind those who have not voted", told to the chats: the functions process announces it on the
 * assembly's topic and the bots process (its watcher follows those topics) queues one message per
 * linked, unmuted chat of these people. The email goes out from the functions process itself.
 */
export interface VoteReminderEvent {
  type: 'vote.reminder'
  organizationId: string
  assemblyId: string
  motionId: string
  /** Person id → the units they attend for that have not voted. */
  units: Record<string, string[]>
}

export async function announceVoteReminder(
  deps: AssemblyDeps,
  event: Omit<VoteReminderEvent, 'type'>,
): Promise<void> {
  if (Object.keys(event.units).length === 0) return
  await publishToAssembly(deps, event.assemblyId, { ...event, type: 'vote.reminder' })
}

/** The reminder in a topic message, or null for any other message. */
export function parseVoteReminder(message: string): VoteReminderEvent | null {
  try {
    const value = JSON.parse(message) as Partial<VoteReminderEvent>
    if (value.type !== 'vote.reminder' || !value.organizationId || !value.assemblyId || !value.motionId)
      return null
    if (typeof value.units !== 'object' || value.units === null) return null
    return value as VoteReminderEvent
  } catch {
    return null
  }
}
