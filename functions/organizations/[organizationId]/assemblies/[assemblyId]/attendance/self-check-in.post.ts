import { Elysia, t } from 'elysia'
import { selfCheckIn } from '../../../../../../core/assemblies/index.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { assemblyDeps } from '../../_deps.ts'
import {
  AssemblyParams,
  AttendanceMode,
  attendanceTags,
  CheckInResultSchema,
  checkInResultView,
} from '../../_schemas.ts'

/** The signed-in owner or proxy holder checks themselves in (remote by default). */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user }) => {
    const result = await selfCheckIn(
      s.db,
      { ...params, mode: body?.mode, actor: { userId: user.id } },
      assemblyDeps(s),
    )
    return checkInResultView(result)
  },
  {
    auth: 'member',
    params: AssemblyParams,
    body: t.Optional(t.Object({ mode: t.Optional(AttendanceMode) }, { additionalProperties: false })),
    response: {
      200: CheckInResultSchema,
      403: ErrorResponse,
      404: ErrorResponse,
      409: ErrorResponse,
      422: ErrorResponse,
    },
    detail: {
      summary: 'Check myself in',
      description:
        'Checks in every unit the signed-in person represents. Errors: 403 not_an_attendee (the account ' +
        'is not an owner or proxy holder of this PH), 409 assembly_not_open, 422 mode_not_allowed.',
      tags: attendanceTags,
    },
  },
)
