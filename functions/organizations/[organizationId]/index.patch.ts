import { Elysia, t } from 'elysia'
import { updateOrganization } from '../../../core/ph/index.ts'
import { auth } from '../../_lib/auth.ts'
import { ErrorResponse, Language } from '../../_lib/schemas.ts'
import {
  ArrearsVoting,
  NullableText,
  OrganizationParams,
  OrganizationSchema,
  organizationView,
} from './_schemas.ts'

const NoticeDays = t.Integer({
  minimum: 0,
  maximum: 365,
  description: 'Calendar days between the notice and the first call',
})

/**
 * Changes the PH's name, legal details, time zone, language, voting settings or owner-proxy rules
 * (approval, filing deadline in hours before the first call); absent fields keep their value.
 */
export default new Elysia()
  .use(auth)
  .patch(
    '',
    async ({ services: s, params, body, user }) =>
      organizationView(
        await updateOrganization(s.db, { ...params, changes: body, actor: { userId: user.id } }),
      ),
    {
      auth: 'ph-admin',
      params: OrganizationParams,
      body: t.Object(
        {
          name: t.Optional(t.String({ minLength: 1, maxLength: 200 })),
          slug: t.Optional(t.String({ minLength: 1, maxLength: 60 })),
          legalName: NullableText(200),
          taxId: NullableText(60),
          registryNumber: NullableText(60),
          address: NullableText(500),
          timeZone: t.Optional(t.String({ minLength: 1, maxLength: 64, description: 'IANA time zone' })),
          locale: t.Optional(t.String({ minLength: 1, maxLength: 35, description: 'BCP 47, e.g. es-PA' })),
          language: t.Optional(Language),
          ownerProxiesNeedApproval: t.Optional(t.Boolean()),
          ownerProxyDeadlineHours: t.Optional(t.Integer({ minimum: 0, maximum: 720 })),
          arrearsVoting: t.Optional(ArrearsVoting),
          sealNamedResults: t.Optional(t.Boolean()),
          noticeOrdinaryMinDays: t.Optional(NoticeDays),
          noticeOrdinaryMaxDays: t.Optional(NoticeDays),
          noticeExtraordinaryMinDays: t.Optional(NoticeDays),
          noticeExtraordinaryMaxDays: t.Optional(NoticeDays),
          reminderDaysBefore: t.Optional(
            t.Array(t.Integer({ minimum: 1, maximum: 60 }), {
              maxItems: 5,
              description: 'Reminders of the notice, days before the first call ([] for none)',
            }),
          ),
          summaryDelayHours: t.Optional(
            t.Integer({
              minimum: 0,
              maximum: 72,
              description: 'Hours after the close before the summary of decisions goes out by itself',
            }),
          ),
        },
        { additionalProperties: false, minProperties: 1 },
      ),
      response: { 200: OrganizationSchema, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
      detail: {
        summary: 'Edit a PH',
        description:
          'Null (or an empty string) clears an optional field. Errors: 409 already_exists (slug taken), ' +
          '422 validation_failed (unknown time zone or locale, a notice window whose minimum exceeds its maximum).',
        tags: ['organizations'],
      },
    },
  )
