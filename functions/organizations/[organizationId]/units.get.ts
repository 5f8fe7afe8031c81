import { and, asc, count, eq, gt, sql } from 'drizzle-orm'
import { Elysia, status, t } from 'elysia'
import { organizations, units } from '../../../db/schema/index.ts'
import { withTenant } from '../../../db/tenant.ts'
import { auth } from '../../_lib/auth.ts'
import { errorBody } from '../../_lib/errors.ts'
import { queryInteger } from '../../_lib/schemas.ts'

const Unit = t.Object({
  id: t.String({ format: 'uuid' }),
  number: t.String(),
  finca: t.Nullable(t.String()),
  coefficient: t.String({ description: 'Percent of the whole, exact decimal with 9 places' }),
  upToDate: t.Boolean(),
})

/** Units of a PH, ordered by unit number, paged by cursor (the last number seen). */
export default new Elysia().use(auth).get(
  '',
  ({ services: s, params, query }) =>
    withTenant(s.db, params.organizationId, async (db) => {
      const [organization] = await db
        .select({ id: organizations.id })
        .from(organizations)
        .where(eq(organizations.id, params.organizationId))
      if (!organization) return status(404, errorBody('not_found', 'Organization not found'))
      const limit = query.limit ?? 200
      const scope = eq(units.organizationId, organization.id)
      const rows = await db
        .select({
          id: units.id,
          number: units.number,
          finca: units.finca,
          coefficient: units.coefficient,
          upToDate: units.upToDate,
        })
        .from(units)
        .where(query.after ? and(scope, gt(units.number, query.after)) : scope)
        .orderBy(asc(units.number))
        .limit(limit)
      const [totals] = await db
        .select({ count: count(), coefficient: sql<string>`coalesce(sum(${units.coefficient}), 0)::text` })
        .from(units)
        .where(scope)
      return {
        units: rows,
        total: totals?.count ?? 0,
        totalCoefficient: totals?.coefficient ?? '0',
        next: rows.length === limit ? (rows.at(-1)?.number ?? null) : null,
      }
    }),
  {
    auth: 'member',
    params: t.Object({ organizationId: t.String({ format: 'uuid' }) }),
    query: t.Object({
      limit: t.Optional(queryInteger('limit', { minimum: 1, maximum: 1000 })),
      after: t.Optional(t.String({ maxLength: 64 })),
    }),
    response: {
      200: t.Object({
        units: t.Array(Unit),
        total: t.Integer(),
        totalCoefficient: t.String(),
        next: t.Nullable(t.String()),
      }),
      404: t.Object({ error: t.Object({ code: t.String(), message: t.String() }) }),
    },
    detail: { summary: 'List the units of a PH', tags: ['units'] },
  },
)
