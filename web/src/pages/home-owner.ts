import type { AgendaItem, Assembly, AssemblyDocument } from '../admin/types.ts'
import { common } from '../i18n/common.ts'
import { ownerHomeMessages } from '../i18n/home-owner.ts'
import { ApiError, get, post, seg } from '../lib/api.ts'
import { announce, type Child, focusOn, h, replace } from '../lib/dom.ts'
import { formatDateTime } from '../lib/format.ts'
import { onSubmit, selectField, textField } from '../lib/forms.ts'
import { translator } from '../lib/i18n.ts'
import { errorBox, errorText, okBox } from '../lib/layout.ts'
import type { MotionDetail } from '../vote/types.ts'

/*
 * What an owner sees of an upcoming assembly on their home: the notice (date, place, video link,
 * agenda), their units with up-to-date status, the proxies they gave (with withdraw) and hold, and
 * the form to give a proxy themselves (holder by email or cédula, vote per motion, signed document).
 */

const t = translator<keyof typeof ownerHomeMessages.es>(common, ownerHomeMessages)

export interface MyProxy {
  proxyId: string
  unitId: string
  unitNumber: string
  holderName: string
  status: 'active' | 'pending' | 'refused'
  /** Why the administration refused it. */
  reason?: string | null
  instructions: Record<string, string> | null
  upToDate?: boolean
  /** Held proxies only: the grantor unit's representative owner. */
  grantorName?: string
}

export interface OwnerView {
  ownedUnits: { unitId: string; number: string; upToDate: boolean }[]
  proxiesGiven: MyProxy[]
  proxiesHeld: MyProxy[]
  proxyRules: { needsApproval: boolean; deadlineHours: number; deadline: string }
}

interface Loaded {
  me: OwnerView
  agenda: AgendaItem[]
  motions: MotionDetail[]
  documents: AssemblyDocument[]
}

const loaded = new Map<string, Loaded>()
const notices = new Map<string, HTMLElement>()

const base = (organizationId: string, assemblyId: string) =>
  `/organizations/${seg(organizationId)}/assemblies/${seg(assemblyId)}`

/** Loads what the owner panel of an assembly shows. */
export async function loadOwnerPanel(organizationId: string, assemblyId: string): Promise<void> {
  const path = base(organizationId, assemblyId)
  const [me, agenda, motions, documents] = await Promise.all([
    get<OwnerView>(`${path}/me`),
    get<{ items: AgendaItem[] }>(`${path}/agenda`).catch(() => ({ items: [] })),
    get<{ motions: MotionDetail[] }>(`${path}/motions`).catch(() => ({ motions: [] })),
    get<{ documents: AssemblyDocument[] }>(`${path}/documents`).catch(() => ({ documents: [] })),
  ])
  loaded.set(assemblyId, {
    me,
    agenda: agenda.items,
    motions: motions.motions,
    documents: documents.documents,
  })
}

/** A document as a link people can tap: its title, type and size. */
function documentLink(organizationId: string, assemblyId: string, document: AssemblyDocument): HTMLElement {
  const kind = document.contentType === 'application/pdf' ? 'PDF' : t('image')
  const size = `${Math.max(1, Math.round(document.sizeBytes / 1024))} KB`
  return h(
    'li',
    null,
    h(
      'a',
      {
        href: `/api${base(organizationId, assemblyId)}/documents/${seg(document.id)}`,
        target: '_blank',
        rel: 'noopener',
      },
      document.title,
    ),
    h('span', { class: 'muted' }, ` (${kind}, ${size})`),
  )
}

/** The notice of meeting as owners read it: when, where, the video link, the agenda and its documents. */
export function noticeView(organizationId: string, assembly: Assembly): HTMLElement {
  const agenda = loaded.get(assembly.id)?.agenda ?? []
  const documents = loaded.get(assembly.id)?.documents ?? []
  const forItem = (itemId: string | null) => documents.filter((document) => document.agendaItemId === itemId)
  const links = (list: AssemblyDocument[]) =>
    list.length === 0
      ? null
      : h(
          'ul',
          { class: 'documents' },
          list.map((document) => documentLink(organizationId, assembly.id, document)),
        )
  return h(
    'div',
    { class: 'stack assembly-notice' },
    h('p', null, h('strong', null, t('when')), ' ', formatDateTime(assembly.firstCallAt)),
    assembly.secondCallAt
      ? h('p', { class: 'muted' }, t('secondCall', { when: formatDateTime(assembly.secondCallAt) }))
      : null,
    assembly.location ? h('p', null, h('strong', null, t('where')), ' ', assembly.location) : null,
    assembly.meetingUrl
      ? h(
          'p',
          null,
          h('strong', null, t('videoLink')),
          ' ',
          h('a', { href: assembly.meetingUrl, rel: 'noopener', target: '_blank' }, assembly.meetingUrl),
        )
      : null,
    agenda.length > 0
      ? h(
          'div',
          null,
          h('h4', null, t('agenda')),
          h(
            'ol',
            null,
            agenda.map((item) => h('li', null, item.title, links(forItem(item.id)))),
          ),
        )
      : null,
    forItem(null).length > 0 ? h('div', null, h('h4', null, t('documents')), links(forItem(null))) : null,
  )
}

/** Units, proxies given and held, and the proxy form, for an assembly that has not started. */
export function ownerPanel(
  organizationId: string,
  assembly: Assembly,
  redraw: () => void,
): HTMLElement | null {
  const data = loaded.get(assembly.id)
  if (!data) return null
  const { me } = data
  const refresh = async (message: string) => {
    notices.set(assembly.id, okBox(message))
    announce(message)
    await loadOwnerPanel(organizationId, assembly.id).catch(() => {})
    redraw()
  }
  const fail = (error: unknown) => {
    notices.set(assembly.id, errorBox(errorText(error)))
    redraw()
  }
  const withdraw = (proxy: MyProxy) =>
    post(`${base(organizationId, assembly.id)}/my-proxies/${seg(proxy.proxyId)}/revoke`)
      .then(() => refresh(t('withdrawn', { number: proxy.unitNumber })))
      .catch(fail)
  // A refused proxy leaves its unit free to be given again.
  const given = new Map(
    me.proxiesGiven.filter((proxy) => proxy.status !== 'refused').map((proxy) => [proxy.unitId, proxy]),
  )
  const free = me.ownedUnits.filter((unit) => !given.has(unit.unitId))
  const deadlinePassed = Date.now() > new Date(me.proxyRules.deadline).getTime()
  return h(
    'div',
    { class: 'stack' },
    notices.get(assembly.id) ?? null,
    me.ownedUnits.length > 0
      ? h(
          'div',
          null,
          h('h4', null, t('myUnits')),
          h(
            'ul',
            { class: 'plain-list' },
            me.ownedUnits.map((unit) =>
              h(
                'li',
                null,
                h('strong', null, t('unit', { number: unit.number })),
                ' · ',
                unit.upToDate ? t('upToDate') : h('span', { class: 'bad-text' }, t('inArrears')),
                given.has(unit.unitId)
                  ? ` · ${t('representedBy', { holder: given.get(unit.unitId)!.holderName })}`
                  : null,
              ),
            ),
          ),
        )
      : null,
    me.proxiesGiven.length > 0
      ? h(
          'div',
          null,
          h('h4', null, t('proxiesGiven')),
          h(
            'ul',
            { class: 'plain-list' },
            me.proxiesGiven.map((proxy) =>
              h(
                'li',
                { class: 'stack' },
                h(
                  'div',
                  null,
                  t('givenTo', { number: proxy.unitNumber, holder: proxy.holderName }),
                  ' · ',
                  h('span', { class: 'muted' }, statusText(proxy)),
                ),
                proxy.status === 'refused'
                  ? proxy.reason
                    ? h('p', { class: 'muted' }, t('refusedReason', { reason: proxy.reason }))
                    : null
                  : [
                      instructionsView(proxy, data.motions),
                      h(
                        'button',
                        { type: 'button', class: 'danger', onclick: () => void withdraw(proxy) },
                        t('withdraw'),
                      ),
                    ],
              ),
            ),
          ),
        )
      : null,
    me.proxiesHeld.length > 0
      ? h(
          'div',
          null,
          h('h4', null, t('proxiesHeld')),
          h(
            'ul',
            { class: 'plain-list' },
            me.proxiesHeld.map((proxy) =>
              h(
                'li',
                { class: 'stack' },
                h(
                  'div',
                  null,
                  proxy.grantorName
                    ? t('heldFromOwner', { number: proxy.unitNumber, owner: proxy.grantorName })
                    : t('heldFrom', { number: proxy.unitNumber }),
                  ' · ',
                  h('span', { class: 'muted' }, statusText(proxy)),
                ),
                instructionsView(proxy, data.motions),
              ),
            ),
          ),
        )
      : null,
    free.length > 0
      ? deadlinePassed
        ? h('p', { class: 'muted' }, t('deadlinePassed'))
        : proxyForm(organizationId, assembly, data, free, refresh)
      : null,
  )
}

function statusText(proxy: MyProxy): Child {
  if (proxy.status === 'refused') return h('span', { class: 'bad-text' }, t('refused'))
  return proxy.status === 'pending' ? t('pending') : t('active')
}

function instructionsView(proxy: MyProxy, motions: MotionDetail[]): Child {
  const entries = Object.entries(proxy.instructions ?? {})
  if (entries.length === 0) return h('span', { class: 'muted' }, t('freeVote'))
  return h(
    'ul',
    null,
    entries.map(([motionId, key]) => {
      const motion = motions.find((candidate) => candidate.id === motionId)
      const label = motion?.options.find((option) => option.key === key)?.label ?? key
      return h('li', null, t('directedLine', { motion: motion?.title ?? '—', choice: label }))
    }),
  )
}

function proxyForm(
  organizationId: string,
  assembly: Assembly,
  data: Loaded,
  free: OwnerView['ownedUnits'],
  refresh: (message: string) => Promise<void>,
): HTMLElement {
  const motions = data.motions.filter(
    (motion) => motion.status !== 'closed' && motion.choiceMode === 'single',
  )
  const submit = async (form: HTMLFormElement) => {
    const values = new FormData(form)
    const who = String(values.get('holderId') ?? '').trim()
    const isEmail = who.includes('@')
    const instructions: Record<string, string> = {}
    for (const motion of motions) {
      const choice = String(values.get(`motion-${motion.id}`) ?? '')
      if (choice) instructions[motion.id] = choice
    }
    const body = new FormData()
    body.set('grantorUnitId', String(values.get('unit')))
    const fullName = String(values.get('holderName') ?? '').trim()
    body.set(
      'holder',
      JSON.stringify({
        ...(isEmail ? { email: who } : { documentId: who }),
        ...(fullName ? { fullName } : {}),
      }),
    )
    if (Object.keys(instructions).length > 0) body.set('instructions', JSON.stringify(instructions))
    const file = values.get('document')
    if (file instanceof File && file.size > 0) body.set('document', file)
    try {
      const proxy = await post<{ unitNumber: string; holderName: string; status: string }>(
        `${base(organizationId, assembly.id)}/my-proxies`,
        body,
      )
      await refresh(
        t(proxy.status === 'pending' ? 'filedPending' : 'filed', {
          number: proxy.unitNumber,
          holder: proxy.holderName,
        }),
      )
    } catch (error) {
      // Said next to the button, keeping what was typed (a redraw would empty the form on a phone,
      // with the message far above). A holder the PH does not know needs a name: say so.
      const field =
        error instanceof ApiError ? (error.details as { field?: string }[] | undefined)?.[0]?.field : null
      const box = errorBox(field === 'holder.fullName' ? t('holderUnknown') : errorText(error))
      replace(formNotice, box)
      focusOn(box)
    }
  }
  const rules = data.me.proxyRules
  const formNotice = h('div')
  return h(
    'form',
    { class: 'stack card proxy-form', onsubmit: onSubmit(submit), 'aria-labelledby': `give-${assembly.id}` },
    h('h4', { id: `give-${assembly.id}` }, t('giveTitle')),
    h('p', { class: 'muted' }, t('giveHint')),
    rules.deadlineHours > 0 || rules.needsApproval
      ? h(
          'p',
          { class: 'muted' },
          [
            rules.deadlineHours > 0 ? t('deadline', { when: formatDateTime(rules.deadline) }) : '',
            rules.needsApproval ? t('needsApproval') : '',
          ]
            .filter(Boolean)
            .join(' '),
        )
      : null,
    selectField({
      name: 'unit',
      label: t('unitField'),
      options: free.map((unit) => ({ value: unit.unitId, label: t('unit', { number: unit.number }) })),
    }),
    textField({ name: 'holderId', label: t('holderField'), hint: t('holderHint'), required: true }),
    textField({ name: 'holderName', label: t('holderNameField'), hint: t('holderNameHint') }),
    motions.length > 0
      ? h(
          'fieldset',
          null,
          h('legend', null, t('directTitle')),
          h('p', { class: 'hint' }, t('directHint')),
          motions.map((motion) => directedChoice(motion)),
        )
      : null,
    textField({
      name: 'document',
      label: t('documentField'),
      hint: t('documentHint'),
      type: 'file',
      props: { accept: 'application/pdf,image/jpeg,image/png' },
    }),
    formNotice,
    h('button', { type: 'submit', class: 'primary' }, t('giveSubmit')),
  )
}

function directedChoice(motion: MotionDetail): HTMLElement {
  const name = `motion-${motion.id}`
  const option = (value: string, label: string, checked = false) =>
    h('label', { class: 'choice' }, h('input', { type: 'radio', name, value, checked }), label)
  return h(
    'div',
    { class: 'stack', role: 'radiogroup', 'aria-label': motion.title },
    h('strong', null, motion.title),
    option('', t('holderDecides'), true),
    motion.options.map((choice) => option(choice.key, choice.label)),
  )
}
