import { Elysia } from 'elysia'
import { createUnit } from '../../../core/ph/index.ts'
import { auth } from '../../_lib/auth.ts'
import { ErrorResponse } from '../../_lib/schemas.ts'
import { CreateUnitBody, OrganizationParams, UnitSchema, unitView } from './_schemas.ts'

/** Adds a unit to the PH. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user }) => {
    const unit = await createUnit(
      s.db,
      { ...params, unit: body, actor: { userId: user.id } },
      { changes: s.changes },
    )
    return unitView(unit)
  },
  {
    auth: 'ph-admin',
    params: OrganizationParams,
    body: CreateUnitBody,
    response: { 200: UnitSchema, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    detail: {
      summary: 'Create a unit',
      description:
        "Errors: 409 already_exists when the number is taken ('1a' and '1A' are the same), " +
        '422 validation_failed for a coefficient that is not a positive decimal.',
      tags: ['units'],
    },
  },
)
