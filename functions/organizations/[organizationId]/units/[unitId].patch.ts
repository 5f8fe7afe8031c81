import { Elysia } from 'elysia'
import { updateUnit } from '../../../../core/ph/index.ts'
import { auth } from '../../../_lib/auth.ts'
import { ErrorResponse } from '../../../_lib/schemas.ts'
import { UnitParams, UnitSchema, UpdateUnitBody, unitView } from '../_schemas.ts'

/** Changes a unit's number, finca, coefficient or up-to-date flag; absent fields keep their value. */
export default new Elysia().use(auth).patch(
  '',
  async ({ services: s, params, body, user }) => {
    const unit = await updateUnit(
      s.db,
      { ...params, changes: body, actor: { userId: user.id } },
      { changes: s.changes },
    )
    return unitView(unit)
  },
  {
    auth: 'ph-admin',
    params: UnitParams,
    body: UpdateUnitBody,
    response: { 200: UnitSchema, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    detail: {
      summary: 'Edit a unit',
      description: 'Errors: 409 already_exists (number taken), 422 validation_failed.',
      tags: ['units'],
    },
  },
)
