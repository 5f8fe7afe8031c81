import { and, asc, desc, eq, inArray } from 'drizzle-orm'
import { Elysia, status, t } from 'elysia'
import { filingDeadline, settingsOf } from '../../../../../core/assemblies/owner-proxies.ts'
import { compareUnitNumbers, resolveVotableUnits } from '../../../../../core/motions/voting-facts.ts'
import { assemblies, ownerships, people, proxies, units } from '../../../../../db/schema/index.ts'
import { withTenant } from '../../../../../db/tenant.ts'
import { auth } from '../../../../_lib/auth.ts'
import { errorBody } from '../../../../_lib/errors.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'

const VotableUnitSchema = t.Object({
  unitId: t.String(),
  number: t.String(),
  coefficient: t.String(),
  upToDate: t.Boolean(),
  present: t.Boolean(),
  role: t.Union([t.Literal('owner'), t.Literal('proxy')]),
  proxyId: t.Nullable(t.String()),
})

const MyProxySchema = t.Object({
  proxyId: t.String(),
  unitId: t.String(),
  unitNumber: t.String(),
  holderName: t.String(),
  status: t.Union([t.Literal('active'), t.Literal('pending'), t.Literal('refused')]),
  /** Why the administration refused it (status 'refused'). */
  reason: t.Nullable(t.String()),
  instructions: t.Nullable(t.Record(t.String(), t.String())),
  validUntil: t.Nullable(t.String()),
})

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
 * The signed-in owner's or proxy holder's view of an assembly: the units they may vote (owned, or
 * held by proxy, with presence), the units they own with their up-to-date status, the proxies they gave (active or
 * awaiting approval) and hold, and the PH's rules for owner-filed proxies.
 */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, membership }) => {
    const { organizationId, assemblyId } = params
    const personIds = membership?.personIds ?? []
    const found = await withTenant(s.db, organizationId, (tx) =>
      tx
        .select({ id: assemblies.id })
        .from(assemblies)
        .where(and(eq(assemblies.id, assemblyId), eq(assemblies.organizationId, organizationId))),
    )
    if (found.length === 0) return status(404, errorBody('not_found', 'Assembly not found'))
    const votable = (
      await Promise.all(
        personIds.map((personId) => resolveVotableUnits(s.db, { organizationId, assemblyId, personId })),
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
    }
    const facts = await withTenant(s.db, organizationId, async (tx) => {
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
      const scope = and(eq(proxies.organizationId, organizationId), eq(proxies.assemblyId, assemblyId))
      const given = await tx
        .select(proxyFields)
        .from(proxies)
        .innerJoin(units, eq(units.id, proxies.grantorUnitId))
        .innerJoin(people, eq(people.id, proxies.holderPersonId))
        .where(
          and(
            scope,
            // The owner sees a refusal (and why); a withdrawn proxy is gone.
            inArray(proxies.status, ['active', 'pending', 'refused']),
            inArray(
              proxies.grantorUnitId,
              owned.map((unit) => unit.unitId),
            ),
          ),
        )
      const held = await tx
        .select({ ...proxyFields, upToDate: units.upToDate })
        .from(proxies)
        .innerJoin(units, eq(units.id, proxies.grantorUnitId))
        .innerJoin(people, eq(people.id, proxies.holderPersonId))
        .where(
          and(
            scope,
            inArray(proxies.status, ['active', 'pending']),
            inArray(proxies.holderPersonId, personIds),
          ),
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
    const proxyOut = (row: (typeof facts.given)[number]) => ({
      ...row,
      status: row.status as 'active' | 'pending' | 'refused',
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
  },
  {
    auth: 'member',
    params: t.Object({
      organizationId: t.String({ format: 'uuid' }),
      assemblyId: t.String({ format: 'uuid' }),
    }),
    response: {
      200: t.Object({
        units: t.Array(VotableUnitSchema),
        ownedUnits: t.Array(t.Object({ unitId: t.String(), number: t.String(), upToDate: t.Boolean() }), {
          description: 'Every unit the person owns, with its up-to-date status',
        }),
        proxiesGiven: t.Array(MyProxySchema, {
          description: 'Active, pending or refused proxies of my units',
        }),
        proxiesHeld: t.Array(
          t.Composite([
            MyProxySchema,
            t.Object({
              upToDate: t.Boolean(),
              grantorName: t.String({
                description: "The grantor unit's representative owner (empty if the unit has no owner)",
              }),
            }),
          ]),
          { description: 'Active or pending proxies I hold' },
        ),
        proxyRules: t.Object({
          needsApproval: t.Boolean(),
          deadlineHours: t.Integer(),
          deadline: t.String({ description: 'Last moment an owner may file a proxy' }),
        }),
      }),
      404: ErrorResponse,
    },
    detail: { summary: 'My units and proxies in an assembly', tags: ['attendance'] },
  },
)
