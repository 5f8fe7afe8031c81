import { Elysia, t } from 'elysia'
import { listOrganizations } from '../core/ph/hosting.ts'
import { auth } from './_lib/auth.ts'

/** Every PH hosted on this installation (platform administrators). */
export default new Elysia()
  .use(auth)
  .get('', async ({ services: { db } }) => ({ organizations: await listOrganizations(db) }), {
    auth: 'platform-admin',
    response: t.Object({
      organizations: t.Array(t.Object({ id: t.String(), slug: t.String(), name: t.String() })),
    }),
    detail: { summary: 'List PHs', tags: ['organizations'] },
  })
