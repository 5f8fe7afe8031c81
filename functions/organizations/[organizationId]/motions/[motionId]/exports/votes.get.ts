import { Elysia, t } from 'elysia'
import { exportVotesCsv } from '../../../../../../core/acta/index.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { CsvQuery, csvDownload } from '../../../_csv.ts'
import { MotionParams, motionTags } from '../../_schemas.ts'

/**
 * The votes of a motion as CSV (UTF-8 with BOM, CRLF), headed in `lang` (else the PH's language), times
 * in the PH's zone. Named motions list each unit's choice; secret ones (and sealed open ones) only the
 * receipt hashes and, once closed, the totals. An export of an open motion is audited.
 */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, query, set, user }) => {
    const file = await exportVotesCsv(s.db, { ...params, language: query.lang, userId: user.id })
    return csvDownload(set, file)
  },
  {
    auth: 'member',
    params: MotionParams,
    query: CsvQuery,
    response: { 200: t.String({ description: 'text/csv' }), 404: ErrorResponse },
    detail: {
      summary: 'Export the votes of a motion as CSV',
      description: 'File name: votaciones-<ph>-<yyyy-mm-dd>-<motion>.csv (votes-… in English).',
      tags: [...motionTags, 'acta'],
    },
  },
)
