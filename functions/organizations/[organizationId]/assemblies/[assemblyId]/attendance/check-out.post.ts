import { Elysia, t } from 'elysia'
import { checkOut } from '../../../../../../core/assemblies/index.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { Uuid } from '../../../_schemas.ts'
import { assemblyDeps } from '../../_deps.ts'
import { AssemblyParams, attendanceTags, attendanceView, CheckOutResultSchema } from '../../_schemas.ts'

/** Ends the attendance of the given units, or of every unit a person attends for. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user }) => {
    const result = await checkOut(s.db, { ...params, ...body, actor: { userId: user.id } }, assemblyDeps(s))
    return { checkedOut: result.checkedOut.map(attendanceView), quorum: result.quorum }
  },
  {
    auth: 'checkin-staff',
    params: AssemblyParams,
    body: t.Object(
      {
        unitIds: t.Optional(t.Array(Uuid, { minItems: 1, maxItems: 1000 })),
        personId: t.Optional(Uuid),
      },
      { additionalProperties: false, minProperties: 1 },
    ),
    response: {
      200: CheckOutResultSchema,
      404: ErrorResponse,
      409: ErrorResponse,
      422: ErrorResponse,
    },
    detail: {
      summary: 'Check units out',
      description: 'Errors: 409 not_checked_in (details.unitIds), 409 assembly_not_open.',
      tags: attendanceTags,
    },
  },
)
