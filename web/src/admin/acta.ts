import type { ActaStateView, SignOffRole } from '../../../core/acta/schemas.ts'
import { type ActaKey, actaMessages } from '../i18n/admin-acta.ts'
import { type CommonKey, common } from '../i18n/common.ts'
import { get, patch, post, put, seg } from '../lib/api.ts'
import { h, replace } from '../lib/dom.ts'
import { formatDateTime } from '../lib/format.ts'
import { onSubmit, selectField, textArea, textField } from '../lib/forms.ts'
import { translator } from '../lib/i18n.ts'
import { t as adminT, createNotices } from './context.ts'
import type { AgendaItem, Assembly } from './types.ts'

const t = translator<ActaKey | CommonKey>(common, actaMessages)

/**
 * The acta card of an assembly: the links (HTML, PDF, attendance CSV), its status, the discussion
 * summary of each agenda item (editable until the acta is final), the review and the two sign-offs.
 */
export async function renderActa(
  area: HTMLElement,
  input: {
    path: string
    assembly: Assembly
    agenda: AgendaItem[]
    redraw: (message: string) => Promise<void>
  },
): Promise<void> {
  const { path, assembly, agenda, redraw } = input
  const state = await get<ActaStateView>(`${path}/acta/status`)
  const notices = createNotices()
  const links = h(
    'ul',
    null,
    h(
      'li',
      null,
      h('a', { href: `/api${path}/acta?format=html`, target: '_blank', rel: 'noopener' }, adminT('actaHtml')),
    ),
    h('li', null, h('a', { href: `/api${path}/acta?format=pdf`, download: '' }, adminT('actaPdf'))),
    h('li', null, h('a', { href: `/api${path}/exports/attendance`, download: '' }, adminT('attendanceCsv'))),
  )
  const status = state.status
  const statusBox = h(
    'div',
    { class: `acta-status acta-status-${status ?? 'none'}` },
    h(
      'p',
      null,
      h('strong', null, `${t('actaStatus')}: `),
      status ? t(`actaStatus_${status}`) : t('actaStatus_none'),
    ),
    status ? h('p', { class: 'hint' }, t(`actaStatusHelp_${status}`)) : null,
    state.hash ? h('p', { class: 'acta-hash' }, `${t('actaHash')}: `, h('code', null, state.hash)) : null,
  )
  const editable = status !== 'final' && ['in_progress', 'suspended', 'closed'].includes(assembly.status)
  const summaries =
    editable && agenda.length > 0 ? summariesForm(path, agenda, status, notices, redraw) : null
  const review =
    status === 'draft'
      ? h(
          'button',
          {
            type: 'button',
            onclick: async () => {
              try {
                await post(`${path}/acta/review`)
                await redraw(t('actaReviewed'))
              } catch (error) {
                notices.fail(error)
              }
            },
          },
          t('actaReview'),
        )
      : null
  const signing = status ? signOffs(path, assembly, state, notices, redraw) : null
  replace(area, notices.element, links, statusBox, review, summaries, signing)
}

function summariesForm(
  path: string,
  agenda: AgendaItem[],
  status: ActaStateView['status'],
  notices: ReturnType<typeof createNotices>,
  redraw: (message: string) => Promise<void>,
): HTMLElement {
  const save = async (item: AgendaItem, form: HTMLFormElement) => {
    const value = (form.elements.namedItem('notes') as HTMLTextAreaElement).value
    const notes = value.trim() ? value : null
    try {
      // Before the close the summary is part of the agenda item; after it, of the frozen acta.
      if (status) await put(`${path}/acta/summaries/${seg(item.id)}`, { notes })
      else await patch(`${path}/agenda/${seg(item.id)}`, { notes })
      await redraw(status === 'reviewed' ? t('actaSummarySavedDraft') : t('actaSummarySaved'))
    } catch (error) {
      notices.fail(error)
    }
  }
  return h(
    'div',
    { class: 'acta-summaries' },
    h('h3', null, t('actaSummaries')),
    h('p', { class: 'hint' }, t('actaSummariesHint')),
    agenda.map((item) =>
      h(
        'form',
        { class: 'acta-summary', onsubmit: onSubmit((form) => save(item, form)) },
        textArea({
          name: 'notes',
          label: `${item.position}. ${item.title}`,
          value: item.notes,
          props: { rows: 4, maxlength: 100_000 },
        }),
        h('button', { type: 'submit' }, t('actaSummarySave')),
      ),
    ),
  )
}

function signOffs(
  path: string,
  assembly: Assembly,
  state: ActaStateView,
  notices: ReturnType<typeof createNotices>,
  redraw: (message: string) => Promise<void>,
): HTMLElement {
  const roles: SignOffRole[] = ['president', 'secretary']
  const signedOf = (role: SignOffRole) => state.signOffs.find((s) => s.role === role)
  const list = h(
    'ul',
    { class: 'acta-sign-offs' },
    roles.map((role) => {
      const signed = signedOf(role)
      const roleText = t(`actaRole_${role}`)
      return h(
        'li',
        { class: signed ? 'signed' : 'pending' },
        signed
          ? t('actaSignedBy', {
              role: roleText,
              name: signed.signerName,
              when: formatDateTime(signed.signedAt),
            })
          : t('actaNotSigned', { role: roleText }),
      )
    }),
  )
  const missing = roles.filter((role) => !signedOf(role))
  const officerName = (role: SignOffRole) =>
    role === 'president' ? assembly.presidentName : assembly.secretaryName
  let form: HTMLElement | null = null
  if (state.status === 'draft' && missing.length > 0)
    form = h('p', { class: 'hint' }, t('actaSignNeedsReview'))
  if (state.status === 'reviewed' && missing.length > 0) {
    const nameField = textField({
      name: 'signerName',
      label: t('actaSignName'),
      value: officerName(missing[0]!),
      required: true,
      props: { maxlength: 200, autocomplete: 'name' },
    })
    const roleField = selectField({
      name: 'role',
      label: t('actaSignRole'),
      options: missing.map((role) => ({ value: role, label: t(`actaRole_${role}`) })),
      value: missing[0],
      props: {
        onchange: (event: Event) => {
          const role = (event.target as HTMLSelectElement).value as SignOffRole
          const input = nameField.querySelector('input')
          if (input) input.value = officerName(role) ?? ''
        },
      },
    })
    form = h(
      'form',
      {
        class: 'acta-sign',
        onsubmit: onSubmit(async (element) => {
          const role = (element.elements.namedItem('role') as HTMLSelectElement).value as SignOffRole
          const signerName = (element.elements.namedItem('signerName') as HTMLInputElement).value.trim()
          if (!confirm(t('actaSignConfirm', { hash: `${state.hash?.slice(0, 12)}…` }))) return
          try {
            const next = await post<ActaStateView>(`${path}/acta/sign-off`, {
              role,
              signerName,
              hash: state.hash,
            })
            await redraw(next.status === 'final' ? t('actaSignedFinal') : t('actaSigned'))
          } catch (error) {
            notices.fail(error)
          }
        }),
      },
      roleField,
      nameField,
      h('button', { type: 'submit' }, t('actaSign')),
    )
  }
  return h('div', { class: 'acta-signing' }, h('h3', null, t('actaSignOffs')), list, form)
}
