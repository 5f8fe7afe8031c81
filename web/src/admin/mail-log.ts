import type { SendReport } from '../../../core/mail/deliveries.ts'
import type { DeliveryView } from '../../../core/mail/schemas.ts'
import { get, post } from '../lib/api.ts'
import { h } from '../lib/dom.ts'
import { formatDateTime } from '../lib/format.ts'
import { dataTable, onSubmit } from '../lib/forms.ts'
import { type AdminContext, createNotices, section, t } from './context.ts'
import { mailKindKey } from './mail-kinds.ts'

/** Invite every owner with an email, and the delivery log of what was sent (newest first). */
export async function mailSection(
  ctx: AdminContext,
  done: (message: string) => Promise<void>,
): Promise<HTMLElement> {
  const notices = createNotices()
  const { deliveries } = await get<{ deliveries: DeliveryView[] }>(`${ctx.base}/mail-log?limit=50`)
  const invite = h(
    'form',
    {
      onsubmit: onSubmit(async () => {
        try {
          const result = await post<SendReport>(`${ctx.base}/invitations`, { allOwners: true })
          await done(
            t('invitedAll', {
              sent: result.sent,
              failed: result.failed.length,
              skipped: result.skipped.length,
            }),
          )
        } catch (error) {
          notices.fail(error)
        }
      }),
    },
    h('p', { class: 'hint' }, t('inviteHint')),
    h('button', { type: 'submit', class: 'primary' }, t('inviteAll')),
  )
  return section(
    'mail-title',
    t('mailTitle'),
    notices.element,
    invite,
    deliveries.length === 0
      ? h('p', { class: 'muted' }, t('mailNone'))
      : dataTable(
          [
            { label: t('mailWhen') },
            { label: t('mailTo') },
            { label: t('mailKind') },
            { label: t('mailStatus') },
          ],
          deliveries.map((row) =>
            h(
              'tr',
              null,
              h('td', null, formatDateTime(row.createdAt)),
              h('td', null, row.recipient),
              h('td', null, t(mailKindKey(row.kind))),
              h(
                'td',
                null,
                row.status === 'accepted'
                  ? t('mailAccepted')
                  : h('span', { class: 'badge badge-bad' }, `${t('mailFailed')}: ${row.error ?? ''}`),
              ),
            ),
          ),
          t('mailLogCaption'),
        ),
  )
}
