import { Elysia, t } from 'elysia'
import { setCurrentAgendaItem } from '../../../../../core/assemblies/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { Uuid } from '../../_schemas.ts'
import { assemblyDeps } from '../_deps.ts'
import { AssemblyParams, assemblyTags } from '../_schemas.ts'

const CurrentItem = t.Nullable(t.Object({ id: Uuid, position: t.Integer(), title: t.String() }))

/** Moves the meeting to an agenda item (null: none); owners and the projector follow it. */
export default new Elysia().use(auth).put(
  '',
  async ({ services: s, params, body, user }) => {
    const current = await setCurrentAgendaItem(
      s.db,
      { ...params, itemId: body.itemId, actor: { userId: user.id } },
      assemblyDeps(s),
    )
    return { current }
  },
  {
    auth: 'ph-admin',
    params: AssemblyParams,
    body: t.Object({ itemId: t.Nullable(Uuid) }, { additionalProperties: false }),
    response: { 200: t.Object({ current: CurrentItem }), 404: ErrorResponse, 409: ErrorResponse },
    detail: {
      summary: 'Set the current agenda item',
      description: 'Errors: 404 not_found (an item of another assembly), 409 assembly_closed.',
      tags: assemblyTags,
    },
  },
)
