import { Elysia, t } from 'elysia'
import { formatDeskCode, issueDeskSignInCode } from '../../../../../../core/auth/desk-codes.ts'
import { auth, clientIp } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { Uuid } from '../../../_schemas.ts'
import { AssemblyParams, attendanceTags, DeskSignInCodeSchema } from '../../_schemas.ts'

/** A one-time sign-in code (and its QR link) for a checked-in person whose email does not arrive. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user, request, server }) => {
    const issued = await issueDeskSignInCode(s.db, {
      organizationId: params.organizationId,
      assemblyId: params.assemblyId,
      personId: body.personId,
      actorUserId: user.id,
      ip: clientIp(request, server, s.config),
    })
    const code = formatDeskCode(issued.code)
    return {
      code,
      url: `${s.config.publicUrl.replace(/\/$/, '')}/sign-in?desk=${encodeURIComponent(code)}`,
      expiresAt: issued.expiresAt.toISOString(),
      personName: issued.personName,
    }
  },
  {
    auth: 'checkin-staff',
    params: AssemblyParams,
    body: t.Object({ personId: Uuid }, { additionalProperties: false }),
    response: {
      200: DeskSignInCodeSchema,
      404: ErrorResponse,
      409: ErrorResponse,
      422: ErrorResponse,
    },
    detail: {
      summary: 'Issue a one-time sign-in code for a checked-in person',
      description:
        'Single use, valid 10 minutes, audited (auth.desk_code_issued / auth.desk_code_used). Errors: 404 person_not_found, 409 not_checked_in, 422 person_without_email.',
      tags: attendanceTags,
    },
  },
)
