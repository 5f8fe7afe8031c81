import { Elysia } from 'elysia'
import { getUnit } from '../../../../core/ph/index.ts'
import { auth } from '../../../_lib/auth.ts'
import { AppError } from '../../../_lib/errors.ts'
import { ErrorResponse } from '../../../_lib/schemas.ts'
import { UnitParams, UnitSchema, unitView } from '../_schemas.ts'

/** One unit of the PH. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params }) => {
    const unit = await getUnit(s.db, params)
    if (!unit) throw new AppError(404, 'not_found', 'Unit not found', { resource: 'Unit' })
    return unitView(unit)
  },
  {
    auth: 'member',
    params: UnitParams,
    response: { 200: UnitSchema, 404: ErrorResponse },
    detail: { summary: 'Show a unit', tags: ['units'] },
  },
)
