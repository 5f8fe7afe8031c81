import { Elysia, t } from 'elysia'
import { listRoster } from '../../../core/ph/index.ts'
import { auth } from '../../_lib/auth.ts'
import { ErrorResponse, queryInteger } from '../../_lib/schemas.ts'
import { OrganizationParams, RosterPageSchema } from './_schemas.ts'

/**
 * Units of a PH with their owners (contact details and cédula for staff only), in natural order
 * (1A, 2A, 10A), searchable, paged by cursor.
 */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, query, membership }) => {
    const page = await listRoster(s.db, {
      organizationId: params.organizationId,
      search: query.search,
      after: query.after,
      limit: query.limit ?? 200,
    })
    const roles = membership?.roles ?? []
    if (roles.includes('ph_admin') || roles.includes('checkin_staff')) return page
    // Owners see who owns what, not their neighbours' contact details or cédulas.
    const units = page.units.map((unit) => ({
      ...unit,
      owners: unit.owners.map((owner) => ({ ...owner, email: null, phone: null, documentId: null })),
    }))
    return { ...page, units }
  },
  {
    auth: 'member',
    params: OrganizationParams,
    query: t.Object({
      limit: t.Optional(queryInteger('limit', { minimum: 1, maximum: 1000 })),
      after: t.Optional(t.String({ maxLength: 64, description: 'The `next` of the previous page' })),
      search: t.Optional(
        t.String({ maxLength: 200, description: 'Part of a unit number, owner name or cédula' }),
      ),
    }),
    response: {
      200: RosterPageSchema,
      404: ErrorResponse,
      422: ErrorResponse,
    },
    detail: { summary: 'List the units of a PH with their owners', tags: ['units'] },
  },
)
