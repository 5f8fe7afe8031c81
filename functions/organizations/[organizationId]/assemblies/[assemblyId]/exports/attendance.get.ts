import { Elysia, status, t } from 'elysia'
import { exportAttendanceCsv } from '../../../../../../core/acta/index.ts'
import { getAssembly } from '../../../../../../core/assemblies/index.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { errorBody } from '../../../../../_lib/errors.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { AssemblyParams } from '../../../motions/_schemas.ts'

/** Every check-in and check-out of an assembly as CSV (UTF-8 with BOM, CRLF). */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, set }) => {
    const assembly = await getAssembly(s.db, params)
    if (!assembly) return status(404, errorBody('not_found', 'Assembly not found'))
    const csv = await exportAttendanceCsv(s.db, params)
    set.headers['content-type'] = 'text/csv; charset=utf-8'
    set.headers['content-disposition'] = `attachment; filename="attendance-acta-${assembly.number}.csv"`
    return csv
  },
  {
    auth: 'member',
    params: AssemblyParams,
    response: { 200: t.String({ description: 'text/csv' }), 404: ErrorResponse },
    detail: { summary: 'Export the attendance of an assembly as CSV', tags: ['acta'] },
  },
)
