import { Elysia, t } from 'elysia'
import { updateDiscussionSummary } from '../../../../../../../core/acta/lifecycle.ts'
import { auth } from '../../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../../_lib/schemas.ts'
import { Uuid } from '../../../../_schemas.ts'
import { ActaStateSchema, actaStateView, actaTags } from '../_schemas.ts'

/** Writes an agenda item's discussion summary after the close, while the acta is not final. */
export default new Elysia().use(auth).put(
  '',
  async ({ services: s, params, body, user }) => {
    const notes = body.notes?.trim() ? body.notes : null
    const state = await updateDiscussionSummary(s.db, { ...params, notes, actor: { userId: user.id } })
    return actaStateView(state)
  },
  {
    auth: 'ph-admin',
    params: t.Object({ organizationId: Uuid, assemblyId: Uuid, itemId: Uuid }),
    body: t.Object({ notes: t.Nullable(t.String({ maxLength: 100_000 })) }, { additionalProperties: false }),
    response: { 200: ActaStateSchema, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    detail: {
      summary: 'Write the discussion summary of an agenda item in the acta',
      description:
        'Only the summaries change in the frozen acta. A reviewed acta returns to draft and its sign-offs ' +
        'are dropped. Errors: 409 acta_not_frozen (before the close use PATCH agenda/:itemId), 409 acta_final.',
      tags: actaTags,
    },
  },
)
