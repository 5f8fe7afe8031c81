import { Elysia } from 'elysia'
import { selfCheckOut } from '../../../../../../core/assemblies/index.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { assemblyDeps } from '../../_deps.ts'
import { AssemblyParams, attendanceTags, attendanceView, CheckOutResultSchema } from '../../_schemas.ts'

/** The signed-in owner or proxy holder leaves the meeting (every unit they attend for). */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, user }) => {
    const result = await selfCheckOut(s.db, { ...params, actor: { userId: user.id } }, assemblyDeps(s))
    return { checkedOut: result.checkedOut.map(attendanceView), quorum: result.quorum }
  },
  {
    auth: 'member',
    params: AssemblyParams,
    response: {
      200: CheckOutResultSchema,
      403: ErrorResponse,
      404: ErrorResponse,
      409: ErrorResponse,
    },
    detail: {
      summary: 'Leave the meeting',
      description:
        'Ends the attendance of every unit the signed-in person attends for and records the quorum; the departure time is in the acta. Errors: 403 not_an_attendee, 409 not_checked_in, 409 assembly_not_open.',
      tags: attendanceTags,
    },
  },
)
