import { Elysia, t } from 'elysia'
import { listOrganizations } from '../core/ph/hosting.ts'
import { HostedOrganizationSchema } from '../core/ph/schemas.ts'
import { auth } from './_lib/auth.ts'

/** Every PH hosted on this installation (platform administrators). */
export default new Elysia()
  .use(auth)
  .get('', async ({ services: { db } }) => ({ organizations: await listOrganizations(db) }), {
    auth: 'platform-admin',
    response: t.Object({
      organizations: t.Array(HostedOrganizationSchema),
    }),
    detail: { summary: 'List PHs', tags: ['organizations'] },
  })
