import { asc } from 'drizzle-orm'
import { Elysia, t } from 'elysia'
import { organizations } from '../db/schema/index.ts'
import { auth } from './_lib/auth.ts'

/** Every PH hosted on this installation (platform administrators). */
export default new Elysia().use(auth).get(
  '',
  async ({ services: { db } }) => ({
    organizations: await db
      .select({ id: organizations.id, slug: organizations.slug, name: organizations.name })
      .from(organizations)
      .orderBy(asc(organizations.name)),
  }),
  {
    auth: 'platform-admin',
    response: t.Object({
      organizations: t.Array(t.Object({ id: t.String(), slug: t.String(), name: t.String() })),
    }),
    detail: { summary: 'List PHs', tags: ['organizations'] },
  },
)
