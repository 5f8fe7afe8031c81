import { Elysia, t } from 'elysia'
import { deleteAgendaItem } from '../../../../../../core/assemblies/index.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { Uuid } from '../../../_schemas.ts'
import { noticeAgendaChange } from '../../_notice.ts'
import { AgendaSchema, agendaView, assemblyTags } from '../../_schemas.ts'

/** Deletes an agenda item and closes the gap. Returns the agenda. */
export default new Elysia().use(auth).delete(
  '',
  async ({ services: s, params, user }) => {
    const agenda = await deleteAgendaItem(s.db, { ...params, actor: { userId: user.id } })
    await noticeAgendaChange(s, params)
    return agendaView(agenda)
  },
  {
    auth: 'ph-admin',
    params: t.Object({ organizationId: Uuid, assemblyId: Uuid, itemId: Uuid }),
    response: { 200: AgendaSchema, 404: ErrorResponse, 409: ErrorResponse },
    detail: {
      summary: 'Delete an agenda item',
      description: 'Errors: 409 assembly_closed, 409 agenda_item_has_motions.',
      tags: assemblyTags,
    },
  },
)
