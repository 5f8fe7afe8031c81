import { Elysia, t } from 'elysia'
import { SendReportSchema, sendReport } from '../../../core/mail/deliveries.ts'
import { inviteOwners } from '../../../core/mail/invitations.ts'
import { auth } from '../../_lib/auth.ts'
import { AppError } from '../../_lib/errors.ts'
import { ErrorResponse } from '../../_lib/schemas.ts'
import { OrganizationParams, Uuid } from './_schemas.ts'

/** Emails owners an invitation to the platform: some of them, or every owner with an email. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user }) => {
    if (!body.allOwners && (body.personIds?.length ?? 0) === 0) {
      const message = 'give personIds or allOwners: true'
      throw new AppError(422, 'validation_failed', `body.personIds: ${message}`, [
        { field: 'body.personIds', message },
      ])
    }
    const result = await inviteOwners(
      { db: s.db, mailer: s.mailer, publicUrl: s.config.publicUrl },
      {
        organizationId: params.organizationId,
        personIds: body.allOwners ? 'all' : (body.personIds ?? []),
        actor: { userId: user.id },
      },
    )
    return sendReport(result)
  },
  {
    auth: 'ph-admin',
    params: OrganizationParams,
    body: t.Object(
      {
        personIds: t.Optional(t.Array(Uuid, { maxItems: 50_000 })),
        allOwners: t.Optional(t.Boolean({ description: 'Every owner with an email' })),
      },
      { additionalProperties: false },
    ),
    response: {
      200: SendReportSchema('Owners without an email'),
      404: ErrorResponse,
      422: ErrorResponse,
    },
    detail: {
      summary: 'Invite owners to the platform by email',
      description:
        'Each message is in the delivery log (GET mail-log). Errors: 404 not_found (a person who owns no unit).',
      tags: ['mail'],
    },
  },
)
