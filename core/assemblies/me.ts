import type { Static } from '@sinclair/typebox'
import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { assemblies, ownerships, people, proxies, units } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { resolveVotableUnits } from '../motions/voting-facts.ts'
import { compareUnitNumbers } from '../ph/validation.ts'
import { filingDeadline, settingsOf } from './owner-proxies.ts'
import type { MyAssemblySchema, MyProxySchema } from './schemas.ts'

/** A proxy the person gave (of a unit they own) or holds, as they see it (./schemas.ts). */
export type MyProxy = Static<typeof MyProxySchema>
type MyProxyStatus = MyProxy['status']

/** The signed-in owner's or proxy holder's view of an assembly (./schemas.ts). */
export type MyAssemblyView = Static<typeof MyAssemblySchema>

/** The unit's representative owners (all its owners if none is marked), joined; empty if it has none. */
function grantorNameOf(
  owners: { unitId: string; fullName: string; isRepresentative: boolean }[],
  unitId: string,
): string {
  const ofUnit = owners.filter((owner) => owner.unitId === unitId)
  const representatives = ofUnit.filter((owner) => owner.isRepresentative)
  return (representatives.length > 0 ? representatives : ofUnit).map((owner) => owner.fullName).join(', ')
}

/**
 * What the people `personIds` (the signed-in user's, in this PH) see of an assembly: the units they may
 * vote, the units they own, the proxies they gave and hold, and the PH's rules for owner-filed proxies.
 * Null when the PH has no such assembly.
 */
export async function myAssemblyView(
  db: Database,
  input: { organizationId: string; assemblyId: string; personIds: string[] },
): Promise<MyAssemblyView | null> {
  const { organizationId, assemblyId, personIds } = input
  const found = await withTenant(db, organizationId, (tx) =>
    tx
      .select({ id: assemblies.id })
      .from(assemblies)
      .where(and(eq(assemblies.id, assemblyId), eq(assemblies.organizationId, organizationId))),
  )
  if (found.length === 0) return null
  const votable = (
    await Promise.all(
      personIds.map((personId) => resolveVotableUnits(db, { organizationId, assemblyId, personId })),
    )
  ).flat()
  const byNumber = <T extends { unitNumber: string }>(rows: T[]) =>
    rows.sort((a, b) => compareUnitNumbers(a.unitNumber, b.unitNumber))
  const proxyFields = {
    proxyId: proxies.id,
    unitId: proxies.grantorUnitId,
    unitNumber: units.number,
    holderName: people.fullName,
    status: proxies.status,
    reason: proxies.revokedReason,
    instructions: proxies.instructions,
    validUntil: proxies.validUntil,
    upToDate: units.upToDate,
  }
  const facts = await withTenant(db, organizationId, async (tx) => {
    const [assembly] = await tx
      .select({ firstCallAt: assemblies.firstCallAt })
      .from(assemblies)
      .where(eq(assemblies.id, assemblyId))
    const settings = await settingsOf(tx, organizationId)
    if (personIds.length === 0)
      return { assembly: assembly!, settings, owned: [], given: [], held: [], grantors: [] }
    const owned = await tx
      .selectDistinct({ unitId: units.id, number: units.number, upToDate: units.upToDate })
      .from(ownerships)
      .innerJoin(units, eq(units.id, ownerships.unitId))
      .where(and(eq(ownerships.organizationId, organizationId), inArray(ownerships.personId, personIds)))
    /** This assembly's proxies that pass `filters`, with their unit and holder. */
    const proxiesWhere = (...filters: SQL[]) =>
      tx
        .select(proxyFields)
        .from(proxies)
        .innerJoin(units, eq(units.id, proxies.grantorUnitId))
        .innerJoin(people, eq(people.id, proxies.holderPersonId))
        .where(
          and(eq(proxies.organizationId, organizationId), eq(proxies.assemblyId, assemblyId), ...filters),
        )
    const given = await proxiesWhere(
      // The owner sees a refusal (and why); a withdrawn proxy is gone.
      inArray(proxies.status, ['active', 'pending', 'refused']),
      inArray(
        proxies.grantorUnitId,
        owned.map((unit) => unit.unitId),
      ),
    )
    const held = await proxiesWhere(
      inArray(proxies.status, ['active', 'pending']),
      inArray(proxies.holderPersonId, personIds),
    )
    // Who gave each held proxy: the unit's representative owner (the one who votes for it).
    const grantors = await tx
      .select({
        unitId: ownerships.unitId,
        fullName: people.fullName,
        isRepresentative: ownerships.isRepresentative,
      })
      .from(ownerships)
      .innerJoin(people, eq(people.id, ownerships.personId))
      .where(
        and(
          eq(ownerships.organizationId, organizationId),
          inArray(
            ownerships.unitId,
            held.map((row) => row.unitId),
          ),
        ),
      )
      .orderBy(desc(ownerships.isRepresentative), asc(people.fullName))
    return { assembly: assembly!, settings, owned, given, held, grantors }
  })
  const proxyOut = ({ upToDate: _upToDate, ...row }: (typeof facts.given)[number]): MyProxy => ({
    ...row,
    status: row.status as MyProxyStatus,
    reason: row.status === 'refused' ? row.reason : null,
    validUntil: row.validUntil?.toISOString() ?? null,
  })
  return {
    units: votable,
    ownedUnits: facts.owned.sort((a, b) => compareUnitNumbers(a.number, b.number)),
    proxiesGiven: byNumber(facts.given.map(proxyOut)),
    proxiesHeld: byNumber(
      facts.held.map((row) => ({
        ...proxyOut(row),
        upToDate: row.upToDate,
        grantorName: grantorNameOf(facts.grantors, row.unitId),
      })),
    ),
    proxyRules: {
      needsApproval: facts.settings.ownerProxiesNeedApproval,
      deadlineHours: facts.settings.ownerProxyDeadlineHours,
      deadline: filingDeadline(
        facts.assembly.firstCallAt,
        facts.settings.ownerProxyDeadlineHours,
      ).toISOString(),
    },
  }
}
