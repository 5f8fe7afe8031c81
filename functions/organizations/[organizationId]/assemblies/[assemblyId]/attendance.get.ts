import { Elysia, t } from 'elysia'
import { listAttendance } from '../../../../../core/assemblies/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { AssemblyParams, AttendanceRecordSchema, attendanceTags, attendanceView } from '../_schemas.ts'

/** Every check-in of the assembly in order (`?openOnly=true`: only those still present). */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, query }) => ({
    attendance: (await listAttendance(s.db, { ...params, openOnly: query.openOnly })).map(attendanceView),
  }),
  {
    auth: 'checkin-staff',
    params: AssemblyParams,
    query: t.Object({ openOnly: t.Optional(t.Boolean()) }),
    response: { 200: t.Object({ attendance: t.Array(AttendanceRecordSchema) }), 404: ErrorResponse },
    detail: { summary: 'List the attendance of an assembly', tags: attendanceTags },
  },
)
