import { Elysia, t } from 'elysia'
import { addMember } from '../../../core/ph/members.ts'
import { auth, clientIp } from '../../_lib/auth.ts'
import { Email, ErrorResponse } from '../../_lib/schemas.ts'
import { MemberSchema, Role } from './_members.ts'
import { OrganizationParams } from './_schemas.ts'

/**
 * Grants a role by email. The user is created when the address has never signed in, so the role is
 * there at their first sign-in; it is linked to the PH's people with the same email too.
 */
export default new Elysia().use(auth).post(
  '',
  ({ services: s, params, body, user, request, server }) =>
    addMember(
      s.db,
      {
        organizationId: params.organizationId,
        email: body.email,
        role: body.role,
        actor: { userId: user.id, ip: clientIp(request, server, s.config) },
      },
      { changes: s.changes, mailer: s.mailer, publicUrl: s.config.publicUrl },
    ),
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
