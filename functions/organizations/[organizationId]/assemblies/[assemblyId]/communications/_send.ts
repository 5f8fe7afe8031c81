import type { sendSummary } from '../../../../../../core/communications/decisions.ts'
import type { Services } from '../../../../../../core/services.ts'
import { communicationView } from './_schemas.ts'

/**
 * An administrator's send of the summary or the acta. A thousand messages take seconds: it answers at
 * once with the communication (nothing counted yet), the list shows the progress, a failure is logged.
 */
export async function startAdminSend(
  send: typeof sendSummary,
  s: Services,
  params: { organizationId: string; assemblyId: string },
  userId: string,
) {
  const started = await send(
    { db: s.db, mailer: s.mailer, bus: s.bus },
    { ...params, trigger: 'admin', requestedByUserId: userId, publicUrl: s.config.publicUrl },
  )
  const { communication, done } = started!
  void done.catch((error) => s.log.error('communication: sending failed', { ...params, error }))
  const { text: _text, html: _html, ...row } = communication
  return communicationView({
    ...row,
    units: { total: 0, reached: 0, pending: 0, failed: 0, no_contact: 0 },
    messages: { accepted: 0, failed: 0, queued: 0 },
  })
}
