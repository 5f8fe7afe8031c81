import { Elysia, t } from 'elysia'
import { checkIn, checkInByToken } from '../../../../../../core/assemblies/index.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { requireOneOf, Uuid } from '../../../_schemas.ts'
import { assemblyDeps, checkInKey } from '../../_deps.ts'
import {
  AssemblyParams,
  AttendanceMode,
  attendanceTags,
  CheckInResultSchema,
  checkInResultView,
} from '../../_schemas.ts'

/**
 * The desk checks a person in for the units they represent: found by search (`personId`, optionally
 * some of their `unitIds`) or by the code of their QR (`token`).
 */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user }) => {
    requireOneOf(body, 'personId', 'token')
    const actor = { userId: user.id }
    const deps = assemblyDeps(s)
    const result =
      body.token === undefined
        ? await checkIn(
            s.db,
            { ...params, personId: body.personId!, unitIds: body.unitIds, mode: body.mode, actor },
            deps,
          )
        : await checkInByToken(
            s.db,
            { ...params, token: body.token, mode: body.mode, actor },
            { ...deps, checkInKey: checkInKey(s) },
          )
    return checkInResultView(result)
  },
  {
    auth: 'checkin-staff',
    params: AssemblyParams,
    body: t.Object(
      {
        personId: t.Optional(Uuid),
        token: t.Optional(t.String({ minLength: 1, maxLength: 200, description: 'The scanned QR code' })),
        unitIds: t.Optional(
          t.Array(Uuid, {
            minItems: 1,
            maxItems: 1000,
            description: 'With personId: only these units (default: every unit the person represents)',
          }),
        ),
        mode: AttendanceMode,
      },
      { additionalProperties: false },
    ),
    response: {
      200: CheckInResultSchema,
      400: ErrorResponse,
      404: ErrorResponse,
      409: ErrorResponse,
      422: ErrorResponse,
    },
    detail: {
      summary: 'Check a person in at the desk',
      description:
        'An owner checking in personally revokes the active proxy of their unit (the holder is told). ' +
        'Errors: 400 invalid_check_in_token, 409 already_checked_in (someone else attends for a unit), ' +
        '409 assembly_not_open, 422 not_representative, 422 mode_not_allowed.',
      tags: attendanceTags,
    },
  },
)
