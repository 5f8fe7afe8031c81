import { Elysia } from 'elysia'
import { sendSummary } from '../../../../../../core/communications/decisions.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { AssemblyParams } from '../../_schemas.ts'
import { CommunicationSchema, communicationTags, communicationView } from './_schemas.ts'

/** Sends (or sends again) the summary of the decisions to every unit (art. 71), from the frozen acta. A thousand messages take seconds: the answer comes at once, the list shows the progress. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, user }) => {
    const started = await sendSummary(
      { db: s.db, mailer: s.mailer, bus: s.bus },
      { ...params, trigger: 'admin', requestedByUserId: user.id, publicUrl: s.config.publicUrl },
    )
    const { communication, done } = started!
    void done.catch((error) => s.log.error('communication: sending failed', { ...params, error }))
    const { text: _text, html: _html, ...row } = communication
    return communicationView({
      ...row,
      units: { total: 0, reached: 0, pending: 0, failed: 0, no_contact: 0 },
      messages: { accepted: 0, failed: 0, queued: 0 },
    })
  },
  {
    auth: 'ph-admin',
    params: AssemblyParams,
    response: { 200: CommunicationSchema, 404: ErrorResponse, 409: ErrorResponse },
    detail: {
      summary:
        'Sends (or sends again) the summary of the decisions to every unit (art. 71), from the frozen acta.',
      description: 'Errors: 409 assembly_not_closed.',
      tags: communicationTags,
    },
  },
)
