import { Elysia, t } from 'elysia'
import { exportVotesCsv } from '../../../../../../core/acta/index.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { MotionParams, motionTags } from '../../_schemas.ts'

/**
 * The votes of a motion as CSV (UTF-8 with BOM, CRLF). Named motions list each unit's choice; secret
 * ones only the receipt hashes and, once closed, the totals.
 */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, set }) => {
    const csv = await exportVotesCsv(s.db, params)
    set.headers['content-type'] = 'text/csv; charset=utf-8'
    set.headers['content-disposition'] = `attachment; filename="votes-${params.motionId}.csv"`
    return csv
  },
  {
    auth: 'member',
    params: MotionParams,
    response: { 200: t.String({ description: 'text/csv' }), 404: ErrorResponse },
    detail: { summary: 'Export the votes of a motion as CSV', tags: [...motionTags, 'acta'] },
  },
)
