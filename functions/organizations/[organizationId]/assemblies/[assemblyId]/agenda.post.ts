import { Elysia, t } from 'elysia'
import { addAgendaItem } from '../../../../../core/assemblies/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { NullableText } from '../../_schemas.ts'
import { noticeAgendaChange } from '../_notice.ts'
import { AgendaSchema, AssemblyParams, agendaView, assemblyTags } from '../_schemas.ts'

/** Adds an agenda item, last or at `position` (the later items move down). Returns the agenda. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user }) => {
    const { position, ...item } = body
    const agenda = await addAgendaItem(s.db, { ...params, item, position, actor: { userId: user.id } })
    await noticeAgendaChange(s, params)
    return agendaView(agenda)
  },
  {
    auth: 'ph-admin',
    params: AssemblyParams,
    body: t.Object(
      {
        title: t.String({ minLength: 1, maxLength: 500 }),
        description: NullableText(20_000),
        notes: NullableText(100_000),
        position: t.Optional(
          t.Integer({ minimum: 1, maximum: 10_000, description: '1-based; default last' }),
        ),
      },
      { additionalProperties: false },
    ),
    response: { 200: AgendaSchema, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    detail: {
      summary: 'Add an agenda item',
      description: 'Errors: 409 assembly_closed, 422 validation_failed (a position past the end).',
      tags: assemblyTags,
    },
  },
)
