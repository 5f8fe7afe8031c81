import { Elysia, t } from 'elysia'
import { getUnit, setUnitsUpToDate } from '../../../../../core/ph/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { AppError } from '../../../../_lib/errors.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { UnitParams, UnitSchema, unitView } from '../../_schemas.ts'

/**
 * The desk marks one unit up to date (al día) at the door, e.g. when the owner shows a receipt; the
 * audit log keeps who did it, when and why. Only PH admins may mark a unit as behind.
 */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user, membership }) => {
    const upToDate = body.upToDate ?? true
    if (!upToDate && !membership?.roles.includes('ph_admin'))
      throw new AppError(403, 'forbidden', 'Only an administrator can mark a unit as behind')
    if (!(await getUnit(s.db, params)))
      throw new AppError(404, 'not_found', 'Unit not found', { resource: 'Unit' })
    await setUnitsUpToDate(
      s.db,
      {
        organizationId: params.organizationId,
        units: [params.unitId],
        upToDate,
        reason: body.reason ?? null,
        actor: { userId: user.id },
      },
      { changes: s.changes },
    )
    const unit = await getUnit(s.db, params)
    if (!unit) throw new AppError(404, 'not_found', 'Unit not found', { resource: 'Unit' })
    return unitView(unit)
  },
  {
    auth: 'checkin-staff',
    params: UnitParams,
    body: t.Object(
      {
        upToDate: t.Optional(t.Boolean({ description: 'Default true; false is for administrators' })),
        reason: t.Optional(
          t.String({ maxLength: 500, description: 'E.g. "receipt 1234 shown at the desk"' }),
        ),
      },
      { additionalProperties: false },
    ),
    response: { 200: UnitSchema, 403: ErrorResponse, 404: ErrorResponse, 422: ErrorResponse },
    detail: {
      summary: 'Mark one unit up to date (desk)',
      description: 'Desk staff and administrators. Errors: 404 not_found, 422 unknown_units.',
      tags: ['units'],
    },
  },
)
