import { asc } from 'drizzle-orm'
import { Elysia, t } from 'elysia'
import { organizations } from '../db/schema/index.ts'
import { services } from './_lib/services.ts'

/** The PHs hosted on this installation. */
export default new Elysia().use(services).get(
  '',
  async ({ services: { db } }) => ({
    organizations: await db
      .select({ id: organizations.id, slug: organizations.slug, name: organizations.name })
      .from(organizations)
      .orderBy(asc(organizations.name)),
  }),
  {
    response: t.Object({
      organizations: t.Array(t.Object({ id: t.String(), slug: t.String(), name: t.String() })),
    }),
    detail: { summary: 'List PHs', tags: ['organizations'] },
  },
)
