import { and, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { assemblies } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import type { Bus } from '../bus/types.ts'
import { type FactsChangeRecord, readFactsChanges, votingFactsVersion } from '../changes/versions.ts'
import type { UnitVotingFacts } from '../motions/eligibility.ts'
import { loadUnitVotingFacts } from '../motions/voting-facts.ts'

/** What the vote path decides on: the assembly's status and every unit's voting facts, at a version. */
export interface AssemblyFacts {
  version: string
  assemblyStatus: string
  units: ReadonlyMap<string, UnitVotingFacts>
}

/** How the facts at a newer version are obtained from the cached ones. */
export type FactsUpdate =
  | { kind: 'none' }
  | { kind: 'full' }
  | { kind: 'partial'; assemblyStatus: boolean; unitIds: Set<string> }

/**
 * What must be reloaded to bring one assembly's facts over the given changes: nothing for another
 * assembly's attendance or proxies, the status for the assembly's own status change, the named units
 * for attendance, proxies or roster changes naming them, everything when a change names no units.
 */
export function planFactsUpdate(assemblyId: string, records: readonly FactsChangeRecord[]): FactsUpdate {
  let assemblyStatus = false
  const unitIds = new Set<string>()
  for (const record of records) {
    const phWide = record.kinds.includes('roster')
    if (!phWide && record.assemblyId !== null && record.assemblyId !== assemblyId) continue
    if (record.kinds.includes('assembly')) assemblyStatus = true
    const touchesUnits = record.kinds.some(
      (kind) => kind === 'roster' || kind === 'proxy' || kind === 'attendance',
    )
    if (!touchesUnits) continue
    if (record.unitIds === null) return { kind: 'full' }
    for (const unitId of record.unitIds) unitIds.add(unitId)
  }
  if (!assemblyStatus && unitIds.size === 0) return { kind: 'none' }
  return { kind: 'partial', assemblyStatus, unitIds }
}

/**
 * The per-process cache of every assembly's voting facts, keyed by the PH's voting facts version
 * (core/changes/versions.ts). A newer version is reached by reloading only what the change records
 * name (a check-in reloads that unit); without records (expired, or a change that named nothing) it
 * reloads everything. Loads are shared by every caller waiting for the same version.
 */
export function createVotingFactsCache(deps: { db: Database; bus: Bus }) {
  const { db, bus } = deps
  const facts = new Map<string, AssemblyFacts>()
  const loading = new Map<string, Promise<AssemblyFacts>>()
  const reloads = { full: 0, partial: 0 }

  async function loadAll(
    organizationId: string,
    assemblyId: string,
    version: string,
  ): Promise<AssemblyFacts> {
    reloads.full += 1
    return withTenant(db, organizationId, async (tx) => {
      const assemblyStatus = await assemblyStatusOf(tx, organizationId, assemblyId)
      const unitFacts = await loadUnitVotingFacts(tx, { organizationId, assemblyId, unitIds: 'all' })
      return { version, assemblyStatus, units: unitFacts }
    })
  }

  async function update(
    organizationId: string,
    assemblyId: string,
    base: AssemblyFacts | undefined,
    version: string,
  ): Promise<AssemblyFacts> {
    if (!base || Number(base.version) > Number(version)) return loadAll(organizationId, assemblyId, version)
    const records = await readFactsChanges(bus, organizationId, base.version, version)
    if (records === 'unknown') return loadAll(organizationId, assemblyId, version)
    const plan = planFactsUpdate(assemblyId, records)
    if (plan.kind === 'full') return loadAll(organizationId, assemblyId, version)
    if (plan.kind === 'none') return { ...base, version }
    reloads.partial += 1
    return withTenant(db, organizationId, async (tx) => {
      const assemblyStatus = plan.assemblyStatus
        ? await assemblyStatusOf(tx, organizationId, assemblyId)
        : base.assemblyStatus
      const unitIds = [...plan.unitIds]
      const reloaded = await loadUnitVotingFacts(tx, { organizationId, assemblyId, unitIds })
      // A new map: callers deciding on the older version keep a consistent view.
      const next = new Map(base.units)
      for (const unitId of unitIds) {
        const unit = reloaded.get(unitId)
        if (unit) next.set(unitId, unit)
        else next.delete(unitId)
      }
      return { version, assemblyStatus, units: next }
    })
  }

  /** The facts of an assembly at `version`, loaded once per process however many voters wait. */
  async function at(organizationId: string, assemblyId: string, version: string): Promise<AssemblyFacts> {
    const cached = facts.get(assemblyId)
    if (cached?.version === version) return cached
    const key = `${assemblyId}@${version}`
    let pending = loading.get(key)
    if (!pending) {
      pending = update(organizationId, assemblyId, cached, version).finally(() => loading.delete(key))
      loading.set(key, pending)
    }
    const loaded = await pending
    const current = facts.get(assemblyId)
    // Never replace newer facts by older ones loaded concurrently (versions only grow).
    if (!current || Number(current.version) <= Number(loaded.version)) facts.set(assemblyId, loaded)
    return loaded
  }

  return {
    at,
    /**
     * The cached facts of an assembly, trusted without a read of the version: the accept step checks
     * the version atomically and answers `stale_facts` when it moved, and the vote is decided again.
     */
    async cached(organizationId: string, assemblyId: string): Promise<AssemblyFacts> {
      return (
        facts.get(assemblyId) ?? at(organizationId, assemblyId, await votingFactsVersion(bus, organizationId))
      )
    },
    /** The current facts (reads the version): what a vote decided now would rest on. */
    async current(organizationId: string, assemblyId: string): Promise<AssemblyFacts> {
      return at(organizationId, assemblyId, await votingFactsVersion(bus, organizationId))
    },
    /** Reloads done so far, by kind (diagnostics and the reload benchmark). */
    reloads: reloads as Readonly<typeof reloads>,
  }
}

export type VotingFactsCache = ReturnType<typeof createVotingFactsCache>

async function assemblyStatusOf(tx: Database, organizationId: string, assemblyId: string): Promise<string> {
  const [row] = await tx
    .select({ status: assemblies.status })
    .from(assemblies)
    .where(and(eq(assemblies.id, assemblyId), eq(assemblies.organizationId, organizationId)))
  return row?.status ?? 'unknown'
}
