import { Elysia, t } from 'elysia'
import { setUnitsUpToDate } from '../../../../core/ph/index.ts'
import { auth } from '../../../_lib/auth.ts'
import { ErrorResponse } from '../../../_lib/schemas.ts'
import { OrganizationParams, UpToDateResultSchema } from '../_schemas.ts'

/** Marks many units up to date (al día) or behind at once, all or nothing. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user }) => {
    const result = await setUnitsUpToDate(
      s.db,
      { ...params, ...body, actor: { userId: user.id } },
      { changes: s.changes },
    )
    return result
  },
  {
    auth: 'ph-admin',
    params: OrganizationParams,
    body: t.Object(
      {
        units: t.Array(t.String({ minLength: 1, maxLength: 200 }), {
          minItems: 1,
          maxItems: 50_000,
          description: 'Unit ids or unit numbers, mixed freely',
        }),
        upToDate: t.Boolean(),
        othersOpposite: t.Optional(
          t.Boolean({
            description:
              'Give every unit not listed the opposite flag: upload the units in arrears, all others become up to date',
          }),
        ),
        reason: t.Optional(t.String({ maxLength: 500 })),
      },
      { additionalProperties: false },
    ),
    response: {
      200: UpToDateResultSchema,
      404: ErrorResponse,
      422: ErrorResponse,
    },
    detail: {
      summary: 'Set the up-to-date flag of many units',
      description:
        'Errors: 422 unknown_units (details.unknown lists the references that match no unit); ' +
        'nothing changes then.',
      tags: ['units'],
    },
  },
)
