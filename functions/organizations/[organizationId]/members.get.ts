import { Elysia, t } from 'elysia'
import { listMembers } from '../../../core/ph/members.ts'
import { auth } from '../../_lib/auth.ts'
import { ErrorResponse } from '../../_lib/schemas.ts'
import { MemberSchema } from './_members.ts'
import { OrganizationParams } from './_schemas.ts'

/** Who administers the PH or staffs its check-in desk. */
export default new Elysia()
  .use(auth)
  .get('', async ({ services: s, params }) => ({ members: await listMembers(s.db, params.organizationId) }), {
    auth: 'ph-admin',
    params: OrganizationParams,
    response: { 200: t.Object({ members: t.Array(MemberSchema) }), 404: ErrorResponse },
    detail: { summary: 'List the PH admins and check-in staff', tags: ['members'] },
  })
