import { assemblyTopic } from '../assemblies/events.ts'
import type { Bus } from '../bus/types.ts'
import {
  type Change,
  FACTS_CHANGE_TTL_MS,
  type FactsChangeRecord,
  factsChangeKey,
  kindVersionKey,
  membershipVersionKey,
  movesMembership,
  movesVotingFacts,
  votingFactsVersionKey,
} from './versions.ts'

/**
 * The one port through which a mutating core service tells every process what it changed, after
 * its transaction commits. Created once per process (the services container) and handed to the core
 * services in their deps; routes and bots never announce anything themselves.
 */
export interface ChangeNotifier {
  /** Moves the version(s) the change touches and wakes the assembly's topic. */
  announce(change: Change): Promise<void>
  /** Sends a typed message to the assembly's live views (which also wakes the topic). */
  publish(assemblyId: string, message: { type: string } & Record<string, unknown>): Promise<void>
}

export function createChangeNotifier(deps: { bus: Bus }): ChangeNotifier {
  const { bus } = deps
  const publish: ChangeNotifier['publish'] = (assemblyId, message) =>
    bus.publish(assemblyTopic(assemblyId), JSON.stringify({ assemblyId, ...message }))
  return {
    publish,
    async announce(change) {
      const { organizationId, kinds } = change
      if (kinds.length === 0) return
      const bumps: Promise<unknown>[] = [...new Set(kinds)].map((kind) =>
        bus.incr(kindVersionKey(kind, organizationId)),
      )
      if (movesMembership(kinds)) bumps.push(bus.incr(membershipVersionKey(organizationId)))
      if (movesVotingFacts(kinds)) bumps.push(recordFactsChange(bus, change))
      await Promise.all(bumps)
      if (change.assemblyId) await publish(change.assemblyId, { type: 'changed', kinds: [...kinds] })
    },
  }
}

/**
 * Moves the voting facts version, then records what moved it. A process that reads the new version
 * before the record lands finds no record and reloads everything, which is always safe.
 */
async function recordFactsChange(bus: Bus, change: Change): Promise<void> {
  const version = await bus.incr(votingFactsVersionKey(change.organizationId))
  const record: FactsChangeRecord = {
    assemblyId: change.assemblyId ?? null,
    kinds: [...change.kinds],
    unitIds: change.unitIds ? [...change.unitIds] : null,
  }
  await bus.set(factsChangeKey(change.organizationId, version), JSON.stringify(record), FACTS_CHANGE_TTL_MS)
}

/** What a mutating core service takes to announce its changes (the services container passes it). */
export interface ChangeDeps {
  changes?: ChangeNotifier
}
