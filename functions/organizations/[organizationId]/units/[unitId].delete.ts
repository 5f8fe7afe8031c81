import { Elysia, t } from 'elysia'
import { deleteUnit } from '../../../../core/ph/index.ts'
import { auth } from '../../../_lib/auth.ts'
import { ErrorResponse } from '../../../_lib/schemas.ts'
import { UnitParams, Uuid } from '../_schemas.ts'

/** Deletes a unit that never took part in an assembly. */
export default new Elysia().use(auth).delete(
  '',
  async ({ services: s, params, user }) => {
    await deleteUnit(s.db, { ...params, actor: { userId: user.id } }, { changes: s.changes })
    return { deleted: true as const, unitId: params.unitId }
  },
  {
    auth: 'ph-admin',
    params: UnitParams,
    response: {
      200: t.Object({ deleted: t.Literal(true), unitId: Uuid }),
      404: ErrorResponse,
      409: ErrorResponse,
    },
    detail: {
      summary: 'Delete a unit',
      description:
        'Errors: 409 unit_in_use when the unit has votes, attendance or proxies (details: the counts).',
      tags: ['units'],
    },
  },
)
