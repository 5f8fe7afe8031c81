import { Elysia, t } from 'elysia'
import { updateAgendaItem } from '../../../../../../core/assemblies/index.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { NullableText, Uuid } from '../../../_schemas.ts'
import { noticeAgendaChange } from '../../_notice.ts'
import { AgendaItemSchema, agendaItemView, assemblyTags } from '../../_schemas.ts'

/** Edits an agenda item's title, description or minutes. */
export default new Elysia().use(auth).patch(
  '',
  async ({ services: s, params, body, user }) => {
    const item = await updateAgendaItem(s.db, { ...params, changes: body, actor: { userId: user.id } })
    // Only the titles are in the notice; descriptions and minutes are not.
    if (body.title !== undefined) await noticeAgendaChange(s, params)
    return agendaItemView(item)
  },
  {
    auth: 'ph-admin',
    params: t.Object({ organizationId: Uuid, assemblyId: Uuid, itemId: Uuid }),
    body: t.Object(
      {
        title: t.Optional(t.String({ minLength: 1, maxLength: 500 })),
        description: NullableText(20_000),
        notes: NullableText(100_000),
      },
      { additionalProperties: false, minProperties: 1 },
    ),
    response: { 200: AgendaItemSchema, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    detail: {
      summary: 'Edit an agenda item',
      description: 'Errors: 409 assembly_closed.',
      tags: assemblyTags,
    },
  },
)
