import { Elysia, t } from 'elysia'
import { recordHandDelivery } from '../../../../../../core/communications/report.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { Uuid } from '../../../_schemas.ts'
import { AssemblyParams } from '../../_schemas.ts'
import { communicationTags, UnitDeliveriesSchema, unitView } from './_schemas.ts'

/** Records that the administration delivered a communication to a unit by hand (a unit with no contact). */
export default new Elysia()
  .use(auth)
  .post(
    '',
    async ({ services: s, params, body, user }) =>
      unitView(await recordHandDelivery(s.db, { ...params, ...body, actor: { userId: user.id } })),
    {
      auth: 'ph-admin',
      params: AssemblyParams,
      body: t.Object(
        {
          communicationId: Uuid,
          unitId: Uuid,
          note: t.Optional(t.Nullable(t.String({ maxLength: 500 }))),
        },
        { additionalProperties: false },
      ),
      response: { 200: UnitDeliveriesSchema, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
      detail: {
        summary: 'Record a delivery by hand',
        description: 'Errors: 404 not_found, 409 already_reached.',
        tags: communicationTags,
      },
    },
  )
