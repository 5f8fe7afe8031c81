import { get, patch } from '../lib/api.ts'
import { h } from '../lib/dom.ts'
import { onSubmit, textField } from '../lib/forms.ts'
import { type AdminContext, createNotices, section, t } from './context.ts'
import type { Organization } from './types.ts'

type NoticeSettings = Pick<
  Organization,
  | 'noticeOrdinaryMinDays'
  | 'noticeOrdinaryMaxDays'
  | 'noticeExtraordinaryMinDays'
  | 'noticeExtraordinaryMaxDays'
  | 'reminderDaysBefore'
  | 'summaryDelayHours'
>

/** The PH's notice windows and reminder days (PATCH organization). */
export async function noticeSettingsSection(ctx: AdminContext): Promise<HTMLElement> {
  const notices = createNotices()
  const current = await get<NoticeSettings>(ctx.base)
  const days = (name: keyof NoticeSettings, label: Parameters<typeof t>[0]) =>
    textField({
      name,
      label: t(label),
      type: 'number',
      value: String(current[name]),
      required: true,
      props: { min: 0, max: 365, inputmode: 'numeric' },
    })
  const form = h(
    'form',
    {
      onsubmit: onSubmit(async (form) => {
        const data = new FormData(form)
        const number = (name: string) => Number(String(data.get(name) ?? '').trim())
        const reminders = String(data.get('reminderDaysBefore') ?? '')
          .split(/[\s,;]+/)
          .filter(Boolean)
          .map(Number)
        try {
          await patch(ctx.base, {
            noticeOrdinaryMinDays: number('noticeOrdinaryMinDays'),
            noticeOrdinaryMaxDays: number('noticeOrdinaryMaxDays'),
            noticeExtraordinaryMinDays: number('noticeExtraordinaryMinDays'),
            noticeExtraordinaryMaxDays: number('noticeExtraordinaryMaxDays'),
            reminderDaysBefore: reminders,
            summaryDelayHours: number('summaryDelayHours'),
          })
          notices.ok(t('saved'))
        } catch (error) {
          notices.fail(error)
        }
      }),
    },
    h('p', { class: 'muted' }, t('noticeSettingsIntro')),
    h(
      'div',
      { class: 'row' },
      days('noticeOrdinaryMinDays', 'noticeOrdinaryMin'),
      days('noticeOrdinaryMaxDays', 'noticeOrdinaryMax'),
    ),
    h(
      'div',
      { class: 'row' },
      days('noticeExtraordinaryMinDays', 'noticeExtraordinaryMin'),
      days('noticeExtraordinaryMaxDays', 'noticeExtraordinaryMax'),
    ),
    textField({
      name: 'reminderDaysBefore',
      label: t('reminderDays'),
      hint: t('reminderDaysHint'),
      value: current.reminderDaysBefore.join(', '),
    }),
    textField({
      name: 'summaryDelayHours',
      label: t('summaryDelay'),
      hint: t('summaryDelayHint'),
      type: 'number',
      value: String(current.summaryDelayHours),
      required: true,
      props: { min: 0, max: 72, inputmode: 'numeric' },
    }),
    h('button', { type: 'submit' }, t('save')),
  )
  return section('notice-settings-title', t('noticeSettingsTitle'), notices.element, form)
}
