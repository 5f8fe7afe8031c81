import { Elysia, t } from 'elysia'
import { setUnitOwners } from '../../../../../core/ph/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { Timestamp, UnitOwnerSchema, UnitParams, Uuid, unitOwnerView } from '../../_schemas.ts'

/** Replaces the owners of a unit; co-owners name exactly one representative, who votes for it. */
export default new Elysia().use(auth).put(
  '',
  async ({ services: s, params, body, user }) => {
    const owners = await setUnitOwners(
      s.db,
      {
        ...params,
        owners: body.owners.map((owner) => ({
          personId: owner.personId,
          isRepresentative: owner.isRepresentative,
          since: owner.since ? new Date(owner.since) : null,
        })),
        actor: { userId: user.id },
      },
      { changes: s.changes },
    )
    return { owners: owners.map(unitOwnerView) }
  },
  {
    auth: 'ph-admin',
    params: UnitParams,
    body: t.Object(
      {
        owners: t.Array(
          t.Object(
            {
              personId: Uuid,
              isRepresentative: t.Boolean(),
              since: t.Optional(t.Nullable(Timestamp)),
            },
            { additionalProperties: false },
          ),
          { maxItems: 100, description: 'An empty list clears the owners' },
        ),
      },
      { additionalProperties: false },
    ),
    response: { 200: t.Object({ owners: t.Array(UnitOwnerSchema) }), 404: ErrorResponse, 422: ErrorResponse },
    detail: {
      summary: 'Replace the owners of a unit',
      description:
        'Errors: 404 not_found (unit or person), 422 invalid_representative unless exactly one owner ' +
        'is the representative, 422 validation_failed for a person listed twice.',
      tags: ['units'],
    },
  },
)
