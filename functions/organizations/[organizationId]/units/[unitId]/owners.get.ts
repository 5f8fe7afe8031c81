import { Elysia, t } from 'elysia'
import { listUnitOwners } from '../../../../../core/ph/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { UnitOwnerSchema, UnitParams, unitOwnerView } from '../../_schemas.ts'

/** The owners of a unit, its representative first. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, membership }) => {
    // Owners may see who owns a unit; contact details and identity documents are for staff only.
    const staff = membership?.roles.some((role) => role === 'ph_admin' || role === 'checkin_staff') ?? false
    const owners = (await listUnitOwners(s.db, params)).map(unitOwnerView)
    return {
      owners: staff
        ? owners
        : owners.map((owner) => ({ ...owner, email: null, phone: null, documentId: null })),
    }
  },
  {
    auth: 'member',
    params: UnitParams,
    response: { 200: t.Object({ owners: t.Array(UnitOwnerSchema) }), 404: ErrorResponse },
    detail: { summary: 'List the owners of a unit', tags: ['units'] },
  },
)
