import { getAssembly } from '../../../../core/assemblies/index.ts'
import { sendNotice } from '../../../../core/mail/notice.ts'
import type { Services } from '../../../../core/services.ts'

/**
 * Sends the notice (or a corrected one) to every owner and proxy holder without holding the request:
 * a thousand messages take seconds. The delivery log (GET mail-log?subjectId=<assembly>) shows each.
 */
export function sendNoticeInBackground(
  s: Services,
  input: { organizationId: string; assemblyId: string; corrected: boolean; changed?: string[] },
): void {
  void sendNotice({ db: s.db, mailer: s.mailer, bus: s.bus }, input).catch((error) =>
    s.log.error('notice: sending failed', { ...input, error }),
  )
}

/**
 * After the agenda of a convened assembly changes (an item added, retitled, removed or moved), the
 * owners get a corrected notice; the first and the corrected one both stay in assembly_notices.
 */
export async function noticeAgendaChange(
  s: Services,
  input: { organizationId: string; assemblyId: string },
): Promise<void> {
  const assembly = await getAssembly(s.db, input)
  if (assembly?.status === 'convened')
    sendNoticeInBackground(s, { ...input, corrected: true, changed: ['agenda'] })
}
