import { and, eq, inArray } from 'drizzle-orm'
import { Elysia, status, t } from 'elysia'
import { resolveVotableUnits } from '../../../../../core/motions/voting-facts.ts'
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

/**
 * The signed-in owner's or proxy holder's view of an assembly: the units they may vote (owned, or
 * held by proxy, with presence), and the proxies they gave for their own units.
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
    const proxiesGiven =
      personIds.length === 0
        ? []
        : await withTenant(s.db, organizationId, (tx) =>
            tx
              .select({
                proxyId: proxies.id,
                unitNumber: units.number,
                holderName: people.fullName,
                validUntil: proxies.validUntil,
              })
              .from(proxies)
              .innerJoin(units, eq(units.id, proxies.grantorUnitId))
              .innerJoin(people, eq(people.id, proxies.holderPersonId))
              .innerJoin(ownerships, eq(ownerships.unitId, proxies.grantorUnitId))
              .where(
                and(
                  eq(proxies.organizationId, organizationId),
                  eq(proxies.assemblyId, assemblyId),
                  eq(proxies.status, 'active'),
                  inArray(ownerships.personId, personIds),
                ),
              ),
          )
    return {
      units: votable,
      proxiesGiven: proxiesGiven.map((row) => ({
        ...row,
        validUntil: row.validUntil?.toISOString() ?? null,
      })),
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
        proxiesGiven: t.Array(
          t.Object({
            proxyId: t.String(),
            unitNumber: t.String(),
            holderName: t.String(),
            validUntil: t.Nullable(t.String()),
          }),
        ),
      }),
      404: ErrorResponse,
    },
    detail: { summary: 'My units and proxies in an assembly', tags: ['attendance'] },
  },
)
