import type {
  CommunicationsOverview,
  CommunicationView,
  UnitDeliveriesView,
  UnitState,
} from '../../../core/communications/schemas.ts'
import { get, post, seg } from '../lib/api.ts'
import { type Child, h, replace } from '../lib/dom.ts'
import { formatDateTime } from '../lib/format.ts'
import { selectField } from '../lib/forms.ts'
import { type AdminContext, createNotices, section, t } from './context.ts'

/*
 * "Comunicaciones" of one assembly: the art. 71 summary (deadline, automatic sending, send again),
 * the acta sent to the owners, and every communication with its counts by unit; a communication opens
 * unit by unit (filter by state, CSV), where a unit nobody could reach is marked delivered by hand.
 */

const KIND = {
  notice: 'kindNotice',
  corrected_notice: 'kindCorrected',
  notice_reminder: 'kindReminder',
  summary: 'kindSummary',
  acta: 'kindActa',
} as const
const STATE = {
  reached: ['stateReached', 'ok-text'],
  pending: ['statePending', 'muted'],
  failed: ['stateFailed', 'bad-text'],
  no_contact: ['stateNoContact', 'bad-text'],
} as const
const CHANNEL = {
  email: 'channelEmail',
  telegram: 'channelTelegram',
  whatsapp: 'channelWhatsapp',
  paper: 'channelPaper',
  none: 'channelNone',
} as const
const STATUS = {
  accepted: 'statusAccepted',
  failed: 'statusFailed',
  queued: 'statusQueued',
  delivered_by_hand: 'statusByHand',
  no_contact: 'statusNoContact',
} as const

const label = <T extends Record<string, Parameters<typeof t>[0]>>(table: T, key: string) =>
  key in table ? t(table[key as keyof T]!) : key

export async function renderCommunications(
  ctx: AdminContext,
  container: HTMLElement,
  assemblyId: string,
): Promise<void> {
  const path = `${ctx.base}/assemblies/${seg(assemblyId)}`
  const notices = createNotices()
  const { overview, communications } = await get<{
    overview: CommunicationsOverview
    communications: CommunicationView[]
  }>(`${path}/communications`)
  const detail = h('div', { id: 'communication-detail' })
  const redraw = async (message: string) => {
    await renderCommunications(ctx, container, assemblyId)
    container.querySelector<HTMLElement>('#comms-notices')?.replaceChildren()
    const fresh = createNotices()
    container.querySelector('#comms-notices')?.append(fresh.element)
    fresh.ok(message)
  }
  const send = async (what: 'summary' | 'acta') => {
    if (what === 'acta' && !confirm(t('actaConfirm'))) return
    try {
      await post(`${path}/communications/${what}`)
      await redraw(t(what === 'summary' ? 'summaryStarted' : 'actaStarted'))
    } catch (error) {
      notices.fail(error)
    }
  }
  const showUnits = (communication: CommunicationView) =>
    renderDetail(detail, path, communication, 'all').catch((error) => notices.fail(error))

  replace(
    container,
    h('p', null, h('a', { href: `#assembly=${seg(assemblyId)}` }, t('commsBack'))),
    h('h2', null, t('commsTitle')),
    h('p', { class: 'muted' }, t('commsIntro')),
    h('div', { id: 'comms-notices' }, notices.element),
    h(
      'div',
      { class: 'comms-cards' },
      summaryCard(overview, () => void send('summary')),
      actaCard(overview, () => void send('acta')),
    ),
    section(
      'comms-list-title',
      t('listTitle'),
      communications.length === 0
        ? h('p', { class: 'muted' }, t('listNone'))
        : h(
            'ul',
            { class: 'plain-list comms-list' },
            communications.map((c) =>
              h(
                'li',
                { class: 'comms-item' },
                h(
                  'div',
                  null,
                  h('strong', null, label(KIND, c.kind)),
                  h(
                    'span',
                    { class: 'muted' },
                    ` · ${t(c.trigger === 'automatic' ? 'triggerAutomatic' : 'triggerAdmin')}`,
                  ),
                ),
                h('div', { class: 'muted' }, formatDateTime(c.createdAt)),
                h('div', null, countsLine(c)),
                h('button', { type: 'button', onclick: () => void showUnits(c) }, t('viewUnits')),
              ),
            ),
          ),
    ),
    detail,
  )
}

/** "2 of 3 units reached · 1 with no contact": the problems named only when there are some. */
function countsLine(c: CommunicationView): Child[] {
  const problems: Child[] = []
  const bad = (key: 'countsFailed' | 'countsNoContact', n: number) =>
    n > 0 ? problems.push(' · ', h('strong', { class: 'bad-text' }, t(key, { n }))) : null
  bad('countsFailed', c.units.failed)
  bad('countsNoContact', c.units.no_contact)
  if (c.units.pending > 0) problems.push(' · ', t('countsPending', { n: c.units.pending }))
  return [t('countsLine', { reached: c.units.reached, total: c.units.total }), ...problems]
}

function summaryCard(overview: CommunicationsOverview, send: () => void): HTMLElement {
  const closed = overview.status === 'closed'
  const overdue =
    closed &&
    !overview.summarySentAt &&
    overview.summaryDeadline &&
    Date.now() > Date.parse(overview.summaryDeadline)
  return section(
    'comms-summary-title',
    t('summaryTitle'),
    h('p', { class: 'muted' }, t('summaryLaw')),
    closed
      ? [
          overview.summarySentAt
            ? h(
                'p',
                null,
                h('span', { class: 'badge badge-ok' }, '✓'),
                ' ',
                t('summarySent', { when: formatDateTime(overview.summarySentAt) }),
              )
            : h(
                'p',
                null,
                t('summaryNotSent'),
                ' ',
                t('summaryScheduled', { when: formatDateTime(overview.summaryScheduledAt) }),
              ),
          h(
            'p',
            { class: overdue ? 'bad-text' : null },
            t('summaryDeadline', { when: formatDateTime(overview.summaryDeadline) }),
            overdue ? ` ${t('summaryOverdue')}` : null,
          ),
          h(
            'button',
            { type: 'button', class: overview.summarySentAt ? null : 'primary', onclick: send },
            t(overview.summarySentAt ? 'resendSummary' : 'sendSummary'),
          ),
        ]
      : h('p', null, t('summaryNotClosed')),
  )
}

function actaCard(overview: CommunicationsOverview, send: () => void): HTMLElement {
  return section(
    'comms-acta-title',
    t('commsActaTitle'),
    overview.actaReady
      ? [
          h(
            'p',
            null,
            overview.actaSentAt
              ? t('actaSent', { when: formatDateTime(overview.actaSentAt) })
              : t('actaNotSent'),
          ),
          h(
            'button',
            { type: 'button', class: overview.actaSentAt ? null : 'primary', onclick: send },
            t(overview.actaSentAt ? 'resendActa' : 'sendActa'),
          ),
        ]
      : h('p', { class: 'muted' }, t('actaNotReady')),
  )
}

async function renderDetail(
  target: HTMLElement,
  path: string,
  communication: CommunicationView,
  filter: UnitState | 'all',
): Promise<void> {
  const query = filter === 'all' ? '' : `?state=${filter}`
  const { units } = await get<{ units: UnitDeliveriesView[] }>(
    `${path}/communications/${seg(communication.id)}${query}`,
  )
  const notices = createNotices()
  const byHand = async (unit: UnitDeliveriesView) => {
    const note = prompt(t('byHandNote'))
    if (note === null) return
    try {
      await post(`${path}/communications/hand-delivery`, {
        communicationId: communication.id,
        unitId: unit.unitId,
        note: note.trim() || null,
      })
      await renderDetail(target, path, communication, filter)
      target.querySelector('#detail-notices')?.append(createOk(t('byHandDone', { number: unit.unitNumber })))
    } catch (error) {
      notices.fail(error)
    }
  }
  const select = selectField({
    name: 'state',
    label: t('filterLabel'),
    value: filter,
    options: [
      { value: 'all', label: t('filterAll') },
      { value: 'failed', label: t('filterFailed') },
      { value: 'no_contact', label: t('filterNoContact') },
      { value: 'pending', label: t('filterPending') },
    ],
    props: {
      onchange: (event: Event) =>
        void renderDetail(
          target,
          path,
          communication,
          (event.target as HTMLSelectElement).value as UnitState,
        ),
    },
  })
  replace(
    target,
    section(
      'comms-detail-title',
      t('unitsOf', { what: label(KIND, communication.kind), when: formatDateTime(communication.createdAt) }),
      h('p', { class: 'muted' }, communication.subject),
      h('div', { id: 'detail-notices' }, notices.element),
      h(
        'div',
        { class: 'row' },
        select,
        h(
          'a',
          {
            class: 'button',
            href: `/api${path}/communications/${seg(communication.id)}?format=csv${filter === 'all' ? '' : `&state=${filter}`}`,
            download: '',
          },
          t('csv'),
        ),
      ),
      units.length === 0
        ? h('p', { class: 'muted' }, t('commsNoUnits'))
        : h(
            'ul',
            { class: 'plain-list comms-list' },
            units.map((unit) => {
              const [stateKey, tone] = STATE[unit.state]
              return h(
                'li',
                { class: 'comms-item' },
                h(
                  'div',
                  null,
                  h('strong', null, `${t('colUnit')} ${unit.unitNumber}`),
                  ' · ',
                  h('strong', { class: tone }, t(stateKey)),
                ),
                h(
                  'ul',
                  { class: 'comms-deliveries' },
                  unit.deliveries.map((row) =>
                    h(
                      'li',
                      null,
                      h('strong', null, label(CHANNEL, row.channel)),
                      row.recipient ? ` ${row.recipient}` : null,
                      row.personName ? h('span', { class: 'muted' }, ` (${row.personName})`) : null,
                      ' · ',
                      h(
                        'span',
                        { class: row.status === 'failed' ? 'bad-text' : null },
                        label(STATUS, row.status),
                      ),
                      row.error ? h('span', { class: 'bad-text' }, `: ${row.error}`) : null,
                      row.note ? ` — ${row.note}` : null,
                      h('span', { class: 'muted' }, ` · ${formatDateTime(row.at)}`),
                    ),
                  ),
                ),
                unit.state === 'no_contact' || unit.state === 'failed'
                  ? h('button', { type: 'button', onclick: () => void byHand(unit) }, t('markByHand'))
                  : null,
              )
            }),
          ),
    ),
  )
  target.scrollIntoView({ block: 'start' })
}

function createOk(message: string): HTMLElement {
  const notices = createNotices()
  notices.ok(message)
  return notices.element
}
