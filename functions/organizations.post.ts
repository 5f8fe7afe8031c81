import { Elysia, t } from 'elysia'
import { appendAudit } from '../core/auth/audit.ts'
import { adminInvitationMessage } from '../core/ph/admin-invitation.ts'
import { createOrganizationWithAdmin } from '../core/ph/hosting.ts'
import { HostedOrganizationSchema } from '../core/ph/schemas.ts'
import { auth, clientIp } from './_lib/auth.ts'
import { Email, ErrorResponse, Language } from './_lib/schemas.ts'

/**
 * Creates a PH and grants its first administrator (by email; the account is created if new), then
 * emails that administrator where to sign in. A failed email does not undo the PH: the answer says
 * `invitationSent: false` and the platform page asks to send the address by other means.
 */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, body, user, request, server }) => {
    const result = await createOrganizationWithAdmin(s.db, {
      organization: {
        name: body.name,
        slug: body.slug,
        legalName: body.legalName ?? null,
        timeZone: body.timeZone ?? 'America/Panama',
        language: body.language ?? 'es',
      },
      adminEmail: body.adminEmail,
      actor: { userId: user.id },
    })
    await appendAudit(s.db, {
      action: 'role.granted',
      organizationId: result.organization.id,
      actorUserId: user.id,
      subject: result.adminUserId,
      ip: clientIp(request, server, s.config),
      data: { role: 'ph_admin', reason: 'organization_created' },
    })
    let invitationSent = true
    try {
      await s.mailer.send(
        adminInvitationMessage({
          to: body.adminEmail.trim().toLowerCase(),
          organizationId: result.organization.id,
          organizationName: result.organization.name,
          publicUrl: s.config.publicUrl,
        }),
      )
    } catch (error) {
      invitationSent = false
      s.log.error('PH administrator invitation not sent', { organizationId: result.organization.id, error })
    }
    return { ...result, invitationSent }
  },
  {
    auth: 'platform-admin',
    body: t.Object(
      {
        name: t.String({ minLength: 2, maxLength: 200 }),
        slug: t.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' }),
        legalName: t.Optional(t.String({ maxLength: 300 })),
        timeZone: t.Optional(t.String({ maxLength: 64 })),
        language: t.Optional(Language),
        adminEmail: Email,
      },
      { additionalProperties: false },
    ),
    response: {
      200: t.Object({
        organization: HostedOrganizationSchema,
        adminUserId: t.String(),
        /** Whether the invitation email to the administrator was handed to the mail server. */
        invitationSent: t.Boolean(),
      }),
      409: ErrorResponse,
      422: ErrorResponse,
    },
    detail: { summary: 'Create a PH and its first administrator', tags: ['organizations'] },
  },
)
