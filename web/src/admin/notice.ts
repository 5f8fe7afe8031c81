import { get, patch } from '../lib/api.ts'
import { focusOn, h } from '../lib/dom.ts'
import { formatDateTime, isoToLocalInput, localInputToIso } from '../lib/format.ts'
import { onSubmit, textArea, textField } from '../lib/forms.ts'
import { assemblyChoiceField } from './assemblies.ts'
import { type AdminContext, createNotices, section, t } from './context.ts'
import type { Assembly, NoticeStatus } from './types.ts'

/** Id of the agenda's "new item" field: the missing-agenda link focuses it. */
export const AGENDA_FIELD_ID = 'agenda-new-title'
export const WINDOW_REASON_ID = 'notice-window-reason'
const fieldId = (name: string) => (name === 'agenda' ? AGENDA_FIELD_ID : `notice-${name}`)

/** Fields whose change after convening sends a corrected notice (the server decides; this words the message). */
const NOTICED = ['firstCallAt', 'secondCallAt', 'location', 'meetingUrl'] as const

/** Scrolls to the field and puts the cursor in it. */
export function focusField(id: string): void {
  const element = document.getElementById(id)
  element?.scrollIntoView({ block: 'center' })
  focusOn(element)
}

const link = (id: string, text: string) =>
  h(
    'a',
    {
      href: `#${id}`,
      onclick: (event: Event) => {
        // The console routes by hash: move the focus instead of navigating.
        event.preventDefault()
        focusField(id)
      },
    },
    text,
  )

/**
 * The convocatoria of an assembly: every field the law asks for, editable before and after convening
 * (read-only once the meeting starts), what is still missing (each linked to its field), the notice
 * window check with the reason field, and the notices sent. `reason()` gives the override reason typed.
 */
export async function renderNotice(
  ctx: AdminContext,
  assembly: Assembly,
  redraw: (message: string) => Promise<void>,
): Promise<{ element: HTMLElement; reason(): string | null; status: NoticeStatus }> {
  const path = `${ctx.base}/assemblies/${encodeURIComponent(assembly.id)}`
  const status = await get<NoticeStatus>(`${path}/notice`)
  const notices = createNotices()
  const editable = assembly.status === 'draft' || assembly.status === 'convened'
  const props = editable ? {} : { disabled: true }

  const form = h(
    'form',
    {
      onsubmit: onSubmit(async (form) => {
        const data = new FormData(form)
        const text = (name: string) => String(data.get(name) ?? '').trim() || null
        const changes = {
          title: text('title') ?? assembly.title,
          kind: text('kind') ?? assembly.kind,
          modality: text('modality') ?? assembly.modality,
          firstCallAt: localInputToIso(text('firstCallAt') ?? '') ?? assembly.firstCallAt,
          secondCallAt: localInputToIso(text('secondCallAt') ?? ''),
          location: text('location'),
          meetingUrl: text('meetingUrl'),
          convenedBy: text('convenedBy'),
          convenerPosition: text('convenerPosition'),
          callText: text('callText'),
        }
        try {
          const saved = await patch<Assembly>(path, changes)
          const corrected =
            saved.status === 'convened' &&
            NOTICED.some((key) => String(saved[key] ?? '') !== String(assembly[key] ?? ''))
          await redraw(t(corrected ? 'noticeSavedCorrected' : 'noticeSaved'))
        } catch (error) {
          notices.fail(error)
        }
      }),
    },
    h(
      'fieldset',
      { class: 'bare', ...props },
      textField({
        name: 'title',
        id: fieldId('title'),
        label: t('assemblyTitle'),
        value: assembly.title,
        required: true,
      }),
      assemblyChoiceField('kind', { id: fieldId('kind'), value: assembly.kind }),
      assemblyChoiceField('modality', { id: fieldId('modality'), value: assembly.modality }),
      textField({
        name: 'firstCallAt',
        id: fieldId('firstCallAt'),
        label: t('firstCallAt'),
        type: 'datetime-local',
        value: isoToLocalInput(assembly.firstCallAt),
        required: true,
      }),
      textField({
        name: 'secondCallAt',
        id: fieldId('secondCallAt'),
        label: t('secondCallAt'),
        hint: t('secondCallHint'),
        type: 'datetime-local',
        value: isoToLocalInput(assembly.secondCallAt),
      }),
      textField({
        name: 'location',
        id: fieldId('location'),
        label: t('location'),
        value: assembly.location,
      }),
      textField({
        name: 'meetingUrl',
        id: fieldId('meetingUrl'),
        label: t('meetingUrl'),
        type: 'url',
        value: assembly.meetingUrl,
      }),
      textField({
        name: 'convenedBy',
        id: fieldId('convenedBy'),
        label: t('convenedBy'),
        hint: t('convenedByHint'),
        value: assembly.convenedBy,
      }),
      textField({
        name: 'convenerPosition',
        id: fieldId('convenerPosition'),
        label: t('convenerPosition'),
        hint: t('convenerPositionHint'),
        value: assembly.convenerPosition,
      }),
      textArea({
        name: 'callText',
        id: fieldId('callText'),
        label: t('callText'),
        hint: t('callTextHint'),
        value: assembly.callText,
      }),
      editable ? h('button', { type: 'submit', class: 'primary' }, t('noticeSave')) : null,
    ),
  )

  const span = { days: status.window.days, min: status.window.min, max: status.window.max }
  const checks = h(
    'div',
    { id: 'notice-checks' },
    assembly.noticedAt ? h('p', null, t('noticeDate', { date: formatDateTime(assembly.noticedAt) })) : null,
    !editable ? h('p', { class: 'muted' }, t('noticeLocked')) : null,
    assembly.status === 'draft'
      ? status.missing.length > 0
        ? h(
            'div',
            { class: 'notice notice-info', role: 'status' },
            h('p', null, h('strong', null, t('noticeMissing'))),
            h(
              'ul',
              { id: 'notice-missing' },
              status.missing.map((name) =>
                h('li', null, link(fieldId(name), t(`missing_${name}` as Parameters<typeof t>[0]))),
              ),
            ),
          )
        : h('p', { class: 'notice notice-ok' }, t('noticeComplete'))
      : null,
    assembly.status === 'draft'
      ? status.window.inside
        ? h('p', null, t('noticeWindowOk', span))
        : h(
            'div',
            { class: 'notice notice-info' },
            h('p', null, t('noticeWindowWarn', span)),
            textArea({
              name: 'windowOverrideReason',
              id: WINDOW_REASON_ID,
              label: t('noticeWindowReason'),
              hint: t('noticeWindowReasonHint'),
            }),
          )
      : assembly.noticeWindowOverride
        ? h(
            'p',
            { class: 'notice notice-info' },
            t('noticeWindowOverridden', { reason: assembly.noticeWindowOverride }),
          )
        : null,
  )

  const kindText = (kind: string) =>
    t(kind === 'corrected_notice' ? 'noticeKindCorrected' : 'noticeKindFirst')
  const sent = h(
    'div',
    null,
    h('h3', null, t('noticeSentTitle')),
    status.notices.length === 0
      ? h('p', { class: 'muted' }, t('noticeSentNone'))
      : h(
          'ol',
          { id: 'notices-sent' },
          status.notices.map((notice) =>
            h(
              'li',
              null,
              h('strong', null, kindText(notice.kind)),
              ` · ${formatDateTime(notice.sentAt)}`,
              notice.changed.length > 0
                ? ` · ${t('noticeChanged', {
                    fields: notice.changed
                      .map((name) => t(`changed_${name}` as Parameters<typeof t>[0]))
                      .join(', '),
                  })}`
                : '',
              h(
                'details',
                null,
                h('summary', null, t('noticeShowText')),
                h('pre', { class: 'notice-text' }, notice.text),
              ),
            ),
          ),
        ),
    h(
      'p',
      { class: 'row' },
      h(
        'a',
        { class: 'button', href: `/api${path}/notice?format=html`, target: '_blank', rel: 'noopener' },
        status.notices.length === 0 ? t('noticePreview') : t('noticeHtml'),
      ),
      h('a', { class: 'button', href: `/api${path}/notice?format=pdf`, download: '' }, t('noticePdf')),
    ),
  )

  const element = section(
    'notice-title',
    t('noticeTitle'),
    h('p', { class: 'muted' }, t('noticeIntro')),
    notices.element,
    checks,
    form,
    sent,
  )
  return {
    element,
    status,
    reason: () => {
      const field = document.getElementById(WINDOW_REASON_ID) as HTMLTextAreaElement | null
      return field?.value.trim() || null
    },
  }
}
