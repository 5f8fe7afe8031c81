import { eq } from 'drizzle-orm'
import { Elysia, t } from 'elysia'
import { appendAudit } from '../../../core/auth/audit.ts'
import { findOrCreateUser } from '../../../core/auth/otp.ts'
import { grantRole } from '../../../core/auth/staff-roles.ts'
import { inviteStaff } from '../../../core/mail/invitations.ts'
import { memberships } from '../../../db/schema/index.ts'
import { auth, clientIp } from '../../_lib/auth.ts'
import { Email, ErrorResponse } from '../../_lib/schemas.ts'
import { MemberSchema, Role, selectMembers } from './_members.ts'
import { OrganizationParams } from './_schemas.ts'

/**
 * Grants a role by email. The user is created when the address has never signed in, so the role is
 * there at their first sign-in; it is linked to the PH's people with the same email too.
 */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user, request, server }) => {
    const { userId, created } = await findOrCreateUser(s.db, body.email)
    const granted = await grantRole(
      s.db,
      { organizationId: params.organizationId, userId, role: body.role, email: body.email },
      { changes: s.changes },
    )
    await appendAudit(s.db, {
      action: 'role.granted',
      organizationId: params.organizationId,
      actorUserId: user.id,
      subject: userId,
      ip: clientIp(request, server, s.config),
      data: { membershipId: granted.membershipId, role: body.role, userCreated: created },
    })
    // The new co-administrator or desk member learns what the platform is and where to sign in.
    await inviteStaff(
      { db: s.db, mailer: s.mailer, publicUrl: s.config.publicUrl },
      { organizationId: params.organizationId, email: body.email, role: body.role },
    )
    const [member] = await selectMembers(
      s.db,
      params.organizationId,
      eq(memberships.id, granted.membershipId),
    )
    return member!
  },
  {
    auth: 'ph-admin',
    params: OrganizationParams,
    body: t.Object({ email: Email, role: Role }, { additionalProperties: false }),
    response: { 200: MemberSchema, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    detail: {
      summary: 'Grant a role in the PH by email',
      description:
        'role: ph_admin or checkin_staff. Creates the user when the email is new. ' +
        'Errors: 409 already_exists when the user already has that role.',
      tags: ['members'],
    },
  },
)
