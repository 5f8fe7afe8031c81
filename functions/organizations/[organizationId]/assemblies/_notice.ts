import { sendNotice } from '../../../../core/mail/notice.ts'
import type { Services } from '../../../_lib/services.ts'

/**
 * Sends the notice (or a corrected one) to every owner and proxy holder without holding the request:
 * a thousand messages take seconds. The delivery log (GET mail-log?subjectId=<assembly>) shows each.
 */
export function sendNoticeInBackground(
  s: Services,
  input: { organizationId: string; assemblyId: string; corrected: boolean },
): void {
  void sendNotice({ db: s.db, mailer: s.mailer }, input).catch((error) =>
    s.log.error('notice: sending failed', { ...input, error }),
  )
}
