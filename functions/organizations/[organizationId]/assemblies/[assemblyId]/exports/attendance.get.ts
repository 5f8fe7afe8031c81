import { Elysia, t } from 'elysia'
import { exportAttendanceCsv } from '../../../../../../core/acta/index.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { CsvQuery, csvDownload } from '../../../_csv.ts'
import { AssemblyParams } from '../../../motions/_schemas.ts'

/** Every check-in and check-out of an assembly as CSV (UTF-8 with BOM, CRLF), times in the PH's zone. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, query, set }) => {
    const file = await exportAttendanceCsv(s.db, { ...params, language: query.lang })
    return csvDownload(set, file)
  },
  {
    auth: 'member',
    params: AssemblyParams,
    query: CsvQuery,
    response: { 200: t.String({ description: 'text/csv' }), 404: ErrorResponse },
    detail: {
      summary: 'Export the attendance of an assembly as CSV',
      description: 'File name: asistencia-<ph>-<yyyy-mm-dd>.csv (attendance-… in English).',
      tags: ['acta'],
    },
  },
)
