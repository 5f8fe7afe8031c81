import { Elysia, t } from 'elysia'
import { listPeople, peopleUsage } from '../../../core/ph/index.ts'
import { auth } from '../../_lib/auth.ts'
import { ErrorResponse, queryInteger } from '../../_lib/schemas.ts'
import { ListedPersonSchema, OrganizationParams, personView } from './_schemas.ts'

/** Owners and proxy holders of the PH by name; `search` matches part of the name, email or document id. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, query }) => {
    const found = await listPeople(s.db, { ...params, search: query.search, limit: query.limit })
    const usage = await peopleUsage(s.db, { ...params, personIds: found.map((person) => person.id) })
    return { people: found.map((person) => ({ ...personView(person), usage: usage.get(person.id)! })) }
  },
  {
    auth: 'checkin-staff',
    params: OrganizationParams,
    query: t.Object({
      search: t.Optional(t.String({ maxLength: 200 })),
      limit: t.Optional(queryInteger('limit', { minimum: 1, maximum: 10_000 })),
    }),
    response: { 200: t.Object({ people: t.Array(ListedPersonSchema) }), 404: ErrorResponse },
    detail: { summary: 'List or search the people of a PH', tags: ['people'] },
  },
)
