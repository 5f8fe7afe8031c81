import type { RosterKey } from '../i18n/admin-roster.ts'

/** What each kind of logged email is called in the delivery log (core/mail names the kinds). */
export const MAIL_KIND_KEYS: Record<string, RosterKey> = {
  invitation: 'mailKindInvitation',
  notice: 'mailKindNotice',
  corrected_notice: 'mailKindCorrectedNotice',
  notice_reminder: 'mailKindNoticeReminder',
  reminder: 'mailKindReminder',
  proxy_filed: 'mailKindProxyFiled',
  proxy_decision: 'mailKindProxyDecision',
  summary: 'mailKindSummary',
  acta: 'mailKindActa',
  vote_reminder: 'mailKindVoteReminder',
}

/** The message key for a delivery's kind; an unknown kind reads "Other email", never its raw code. */
export function mailKindKey(kind: string): RosterKey {
  return Object.hasOwn(MAIL_KIND_KEYS, kind) ? MAIL_KIND_KEYS[kind]! : 'mailKindOther'
}
