import { Elysia, t } from 'elysia'
import { GRANTABLE_ROLES, removeMember } from '../../../../core/ph/members.ts'
import { auth, clientIp } from '../../../_lib/auth.ts'
import { ErrorResponse } from '../../../_lib/schemas.ts'
import { MemberSchema } from '../_members.ts'
import { Uuid } from '../_schemas.ts'

/** Revokes a granted role; the PH always keeps at least one admin. */
export default new Elysia().use(auth).delete(
  '',
  ({ services: s, params, user, request, server }) =>
    removeMember(
      s.db,
      {
        organizationId: params.organizationId,
        membershipId: params.membershipId,
        actor: { userId: user.id, ip: clientIp(request, server, s.config) },
      },
      { changes: s.changes },
    ),
  {
    auth: 'ph-admin',
    params: t.Object({ organizationId: Uuid, membershipId: Uuid }),
    response: { 200: MemberSchema, 404: ErrorResponse, 409: ErrorResponse },
    detail: {
      summary: 'Revoke a role in the PH',
      description: `Roles: ${GRANTABLE_ROLES.join(', ')}. Errors: 409 last_admin for the only PH admin.`,
      tags: ['members'],
    },
  },
)
