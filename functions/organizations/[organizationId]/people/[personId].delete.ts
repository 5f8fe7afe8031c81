import { Elysia, t } from 'elysia'
import { deletePerson } from '../../../../core/ph/index.ts'
import { auth } from '../../../_lib/auth.ts'
import { ErrorResponse } from '../../../_lib/schemas.ts'
import { PersonParams, Uuid } from '../_schemas.ts'

/** Deletes a person who owns no unit and never held a proxy. */
export default new Elysia().use(auth).delete(
  '',
  async ({ services: s, params, user }) => {
    await deletePerson(s.db, { ...params, actor: { userId: user.id } })
    return { deleted: true as const, personId: params.personId }
  },
  {
    auth: 'ph-admin',
    params: PersonParams,
    response: {
      200: t.Object({ deleted: t.Literal(true), personId: Uuid }),
      404: ErrorResponse,
      409: ErrorResponse,
    },
    detail: {
      summary: 'Delete a person',
      description: 'Errors: 409 person_in_use (details: ownerships, proxies).',
      tags: ['people'],
    },
  },
)
