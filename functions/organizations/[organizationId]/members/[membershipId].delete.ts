import { eq } from 'drizzle-orm'
import { Elysia, t } from 'elysia'
import { appendAudit } from '../../../../core/auth/audit.ts'
import { revokeRole } from '../../../../core/auth/staff-roles.ts'
import { memberships } from '../../../../db/schema/index.ts'
import { auth, clientIp } from '../../../_lib/auth.ts'
import { AppError } from '../../../_lib/errors.ts'
import { ErrorResponse } from '../../../_lib/schemas.ts'
import { GRANTABLE_ROLES, MemberSchema, selectMembers } from '../_members.ts'
import { Uuid } from '../_schemas.ts'

/** Revokes a granted role; the PH always keeps at least one admin. */
export default new Elysia().use(auth).delete(
  '',
  async ({ services: s, params, user, request, server }) => {
    const { organizationId, membershipId } = params
    const [member] = await selectMembers(s.db, organizationId, eq(memberships.id, membershipId))
    if (!member) throw new AppError(404, 'not_found', 'Member not found', { resource: 'Member' })
    await revokeRole(s.db, { organizationId, membershipId, role: member.role }, { changes: s.changes })
    await appendAudit(s.db, {
      action: 'role.revoked',
      organizationId,
      actorUserId: user.id,
      subject: member.userId,
      ip: clientIp(request, server, s.config),
      data: { membershipId, role: member.role },
    })
    return member
  },
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
