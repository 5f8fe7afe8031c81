import { Elysia, t } from 'elysia'
import { reorderAgendaItems } from '../../../../../../core/assemblies/index.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { Uuid } from '../../../_schemas.ts'
import { noticeAgendaChange } from '../../_notice.ts'
import { AgendaSchema, AssemblyParams, agendaView, assemblyTags } from '../../_schemas.ts'

/** Puts the agenda in the given order. */
export default new Elysia().use(auth).put(
  '',
  async ({ services: s, params, body, user }) => {
    const agenda = await reorderAgendaItems(s.db, {
      ...params,
      itemIds: body.itemIds,
      actor: { userId: user.id },
    })
    await noticeAgendaChange(s, params)
    return agendaView(agenda)
  },
  {
    auth: 'ph-admin',
    params: AssemblyParams,
    body: t.Object(
      {
        itemIds: t.Array(Uuid, {
          maxItems: 10_000,
          description: 'Every agenda item of the assembly, exactly once, in the new order',
        }),
      },
      { additionalProperties: false },
    ),
    response: { 200: AgendaSchema, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    detail: {
      summary: 'Reorder the agenda',
      description: 'Errors: 409 assembly_closed, 422 validation_failed (itemIds not the whole agenda).',
      tags: assemblyTags,
    },
  },
)
