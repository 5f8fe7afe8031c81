// The board's answer (GET …/assemblies/:assemblyId/board), as core builds it.
import type { Board, BoardUnit } from '../../../core/assemblies/board.ts'
import type { SendReport } from '../../../core/mail/deliveries.ts'
import type { OrganizationView } from '../../../core/ph/schemas.ts'
import { boardMessages } from '../i18n/board.ts'
import { common } from '../i18n/common.ts'
import { get, post, seg } from '../lib/api.ts'
import { announce, h, param, replace } from '../lib/dom.ts'
import { formatTime, setPlace } from '../lib/format.ts'
import { dataTable } from '../lib/forms.ts'
import { translator } from '../lib/i18n.ts'
import { errorBox, errorText, okBox, setConnection, startPage } from '../lib/layout.ts'
import { connectLive, ticketUrl } from '../lib/live.ts'

/*
 * The live board: every unit with presence, arrears and whether it voted on the open motion, for the
 * administrator and the desk. The realtime topic says when something changed; the board then reads
 * the API again (at most once every two seconds), so it never shows a state the server has not got.
 */

const t = translator<keyof typeof boardMessages.es | 'loading'>(common, boardMessages)

type Show = 'all' | 'present' | 'absent' | 'arrears' | 'pending' | 'voted'

const organizationId = param('organization')
const assemblyId = param('assembly')
const base = `/organizations/${seg(organizationId ?? '')}`
const path = `${base}/assemblies/${seg(assemblyId ?? '')}`
const query = `organization=${seg(organizationId ?? '')}&assembly=${seg(assemblyId ?? '')}`

const state = {
  board: null as Board | null,
  error: null as string | null,
  updatedAt: null as Date | null,
  search: '',
  tower: '',
  floor: '',
  show: (param('show') as Show | null) ?? 'all',
}

const notices = h('div')
const summaryArea = h('div', { id: 'board-summary' })
const tableArea = h('div', { id: 'board-table' })
const filtersArea = h('div')
const actionsArea = h('p', { class: 'row' })
const errorArea = h('div')

const isPresent = (unit: BoardUnit) => unit.presence !== 'absent'
const matchesShow: Record<Show, (unit: BoardUnit) => boolean> = {
  all: () => true,
  present: isPresent,
  absent: (unit) => !isPresent(unit),
  arrears: (unit) => !unit.upToDate,
  pending: (unit) => isPresent(unit) && unit.voted === false,
  voted: (unit) => unit.voted === true,
}

function normalize(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
}

function visibleUnits(board: Board): BoardUnit[] {
  const needle = normalize(state.search.trim())
  return board.units.filter(
    (unit) =>
      matchesShow[state.show](unit) &&
      (!state.tower || unit.tower === state.tower) &&
      (!state.floor || unit.floor === state.floor) &&
      (!needle ||
        normalize(unit.number).startsWith(needle) ||
        [...unit.owners, unit.attendee ?? ''].some((name) => normalize(name).includes(needle))),
  )
}

const PRESENCE_TEXT = { in_person: 'inPerson', remote: 'remote', proxy: 'proxy', absent: 'absent' } as const

function drawSummary(): void {
  const board = state.board
  if (!board) return
  const count = (show: Show) => board.units.filter(matchesShow[show]).length
  const figures = {
    units: board.units.length,
    present: count('present'),
    absent: count('absent'),
    arrears: count('arrears'),
    voted: count('voted'),
    pending: count('pending'),
  }
  replace(
    summaryArea,
    board.motion
      ? h(
          'p',
          { class: 'board-motion' },
          h('strong', null, t('motionNow', { title: board.motion.title })),
          board.motion.secret ? h('span', { class: 'muted' }, ` ${t('motionSecret')}`) : null,
        )
      : h('p', { class: 'muted' }, t('noMotion')),
    h('p', { class: 'board-figures' }, t(board.motion ? 'summary' : 'summaryNoMotion', figures)),
    state.updatedAt ? h('p', { class: 'muted' }, t('updated', { time: formatTime(state.updatedAt) })) : null,
  )
}

function drawTable(): void {
  const board = state.board
  if (!board) return
  const units = visibleUnits(board)
  const withVote = board.motion !== null
  replace(
    tableArea,
    h(
      'p',
      { class: 'muted', 'aria-live': 'polite' },
      t('shown', { shown: units.length, units: board.units.length }),
    ),
    units.length === 0
      ? h('p', null, t('none'))
      : dataTable(
          [
            { label: t('unit') },
            { label: t('owners') },
            { label: t('presence') },
            { label: t('dues') },
            ...(withVote ? [{ label: t('voted') }] : []),
          ],
          units.map((unit) =>
            h(
              'tr',
              { 'data-unit': unit.number, class: isPresent(unit) ? 'is-present' : 'is-absent' },
              h('th', { scope: 'row' }, unit.number),
              h('td', null, unit.owners.join(', ') || '—'),
              h(
                'td',
                null,
                h(
                  'span',
                  { class: `badge ${isPresent(unit) ? 'badge-ok' : ''}` },
                  t(PRESENCE_TEXT[unit.presence]),
                ),
                unit.attendee && unit.presence === 'proxy'
                  ? h('div', { class: 'muted' }, t('attendee', { name: unit.attendee }))
                  : null,
              ),
              h(
                'td',
                null,
                unit.upToDate ? t('upToDate') : h('span', { class: 'badge badge-bad' }, t('arrears')),
              ),
              withVote
                ? h(
                    'td',
                    { class: 'board-vote' },
                    unit.voted
                      ? h('span', { class: 'badge badge-ok' }, t('yesVoted'))
                      : // Nobody to chase for an absent unit: only those present are "missing".
                        unit.presence === 'absent'
                        ? h('span', { class: 'muted' }, t('notPresent'))
                        : t('notVoted'),
                  )
                : null,
            ),
          ),
        ),
  )
}

function drawFilters(): void {
  const board = state.board
  const distinct = (values: (string | null)[]) =>
    [...new Set(values.filter((value): value is string => value !== null))].sort((a, b) =>
      a.localeCompare(b, undefined, { numeric: true }),
    )
  const towers = distinct(board?.units.map((unit) => unit.tower) ?? [])
  const floors = distinct(board?.units.map((unit) => unit.floor) ?? [])
  const select = (
    id: string,
    label: string,
    value: string,
    options: { value: string; label: string }[],
    onchange: (value: string) => void,
  ) =>
    h(
      'div',
      { class: 'field' },
      h('label', { for: id }, label),
      h(
        'select',
        { id, onchange: (event: Event) => onchange((event.target as HTMLSelectElement).value) },
        options.map((option) =>
          h('option', { value: option.value, selected: option.value === value }, option.label),
        ),
      ),
    )
  const redrawList = () => {
    drawTable()
  }
  replace(
    filtersArea,
    h(
      'div',
      { class: 'row board-filters' },
      h(
        'div',
        { class: 'field' },
        h('label', { for: 'board-search' }, t('search')),
        h('input', {
          id: 'board-search',
          type: 'search',
          value: state.search,
          autocomplete: 'off',
          oninput: (event: Event) => {
            state.search = (event.target as HTMLInputElement).value
            redrawList()
          },
        }),
      ),
      select(
        'board-show',
        t('show'),
        state.show,
        (['all', 'present', 'absent', 'arrears', 'pending', 'voted'] as const).map((value) => ({
          value,
          label: t(`show${value[0]!.toUpperCase()}${value.slice(1)}` as 'showAll'),
        })),
        (value) => {
          state.show = value as Show
          redrawList()
        },
      ),
      towers.length > 0
        ? select(
            'board-tower',
            t('tower'),
            state.tower,
            [{ value: '', label: t('any') }, ...towers.map((tower) => ({ value: tower, label: tower }))],
            (value) => {
              state.tower = value
              redrawList()
            },
          )
        : null,
      select(
        'board-floor',
        t('floor'),
        state.floor,
        [{ value: '', label: t('anyFloor') }, ...floors.map((floor) => ({ value: floor, label: floor }))],
        (value) => {
          state.floor = value
          redrawList()
        },
      ),
    ),
    h('p', { class: 'muted' }, t('locationHint')),
  )
}

async function remind(): Promise<void> {
  if (!confirm(t('remindConfirm'))) return
  try {
    const result = await post<SendReport>(`${path}/board/remind`, {})
    replace(
      notices,
      okBox(t('reminded', { sent: result.sent })),
      result.skipped.length
        ? h('p', null, t('remindedSkipped', { names: result.skipped.map((p) => p.fullName).join(', ') }))
        : null,
      result.failed.length ? errorBox(t('remindedFailed', { count: result.failed.length })) : null,
    )
    announce(t('reminded', { sent: result.sent }))
  } catch (error) {
    replace(notices, errorBox(errorText(error)))
  }
}

let loading: Promise<void> | null = null
let again = false
let lastLoad = 0

/** Reads the board again; calls while a read runs or within two seconds of one are merged into one. */
function reload(): void {
  if (loading) {
    again = true
    return
  }
  const wait = Math.max(0, lastLoad + 2000 - Date.now())
  loading = new Promise<void>((resolve) => setTimeout(resolve, wait))
    .then(async () => {
      lastLoad = Date.now()
      state.board = await get<Board>(`${path}/board`)
      state.updatedAt = new Date()
      state.error = null
    })
    .catch((error) => {
      state.error = errorText(error)
    })
    .finally(() => {
      loading = null
      // The first read fills the filters; later ones leave them (and what is being typed) alone.
      if (!filtersArea.hasChildNodes()) page.redraw()
      else refresh()
      if (again) {
        again = false
        reload()
      }
    })
}

function drawActions(): void {
  replace(
    actionsArea,
    h('a', { class: 'button', href: `/desk?${query}` }, t('deskLink')),
    h('a', { class: 'button', href: `/api${path}/exports/attendance`, download: '' }, t('exportCsv')),
    state.board?.motion
      ? h('button', { type: 'button', class: 'primary', onclick: () => void remind() }, t('remind'))
      : null,
  )
}

function refresh(): void {
  replace(errorArea, state.error ? errorBox(state.error) : null)
  drawActions()
  drawSummary()
  drawTable()
}

const page = startPage({
  title: () => t('title'),
  signedIn: true,
  live: true,
  requires: ['organization', 'assembly'],
  draw: (main) => {
    if (state.board) drawFilters()
    refresh()
    replace(
      main,
      h('h1', null, t('title')),
      actionsArea,
      notices,
      errorArea,
      summaryArea,
      filtersArea,
      state.board ? tableArea : h('p', { class: 'loading' }, t('loading')),
    )
  },
})

if (organizationId && assemblyId) {
  get<Pick<OrganizationView, 'locale' | 'timeZone'>>(base)
    .then((organization) => setPlace(organization))
    .catch(() => {})
  reload()
  connectLive({ assemblyId, url: ticketUrl, onStatus: setConnection, onSnapshot: () => reload() })
}
