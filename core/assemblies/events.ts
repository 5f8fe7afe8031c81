import type { Change } from '../changes/versions.ts'
import type { AssemblyDeps, ProxyRevokedEvent } from './types.ts'

/** The pub/sub topic of one assembly; the realtime process relays it to the assembly's clients. */
export function assemblyTopic(assemblyId: string): string {
  return `assembly:${assemblyId}`
}

/** Publishes a JSON message on the assembly's topic; failures are logged, the committed change stands. */
export async function publishToAssembly(
  deps: AssemblyDeps,
  assemblyId: string,
  message: { type: string } & Record<string, unknown>,
): Promise<void> {
  if (!deps.changes) return
  try {
    await deps.changes.publish(assemblyId, message)
  } catch (error) {
    deps.log?.warn('publish failed', { assemblyId, type: message.type, error })
  }
}

/** Tells the holders of revoked proxies, one call per proxy; a failing listener does not stop the others. */
export async function notifyRevokedProxies(
  deps: AssemblyDeps,
  events: readonly ProxyRevokedEvent[],
): Promise<void> {
  for (const event of events) {
    await publishToAssembly(deps, event.assemblyId, {
      type: 'proxy.revoked',
      proxyId: event.proxyId,
      unitId: event.unitId,
      reason: event.reason,
    })
    if (!deps.onProxyRevoked) continue
    try {
      await deps.onProxyRevoked(event)
    } catch (error) {
      deps.log?.warn('proxy revocation listener failed', { proxyId: event.proxyId, error })
    }
  }
}

/** The clock of the deps, or the system clock. */
export function nowOf(deps: AssemblyDeps): Date {
  return deps.now?.() ?? new Date()
}

/**
 * Announces a committed change through the deps' change port (versions move, the topic wakes). Not
 * caught: a change every process must see is not left half announced without the caller knowing.
 */
export async function announceCommitted(deps: AssemblyDeps, change: Change): Promise<void> {
  await deps.changes?.announce(change)
}

/** Announces a committed change to one proxy (the grantor unit's facts move) and tells the assembly's topic. */
export async function announceProxyChange(
  deps: AssemblyDeps,
  scope: { organizationId: string; assemblyId: string },
  event: { type: string; proxyId: string; unitId: string },
): Promise<void> {
  await announceCommitted(deps, { ...scope, kinds: ['proxy'], unitIds: [event.unitId] })
  await publishToAssembly(deps, scope.assemblyId, event)
}
