import { common } from '../i18n/common.ts'
import { screenMessages } from '../i18n/screen.ts'
import { h, param, replace } from '../lib/dom.ts'
import {
  electionNames,
  formatInteger,
  formatPercent,
  joinNames,
  locale,
  setPlace,
  thresholdPercent,
} from '../lib/format.ts'
import { translator } from '../lib/i18n.ts'
import {
  assemblyStatusText,
  callText,
  errorBox,
  motionStatusText,
  outcomeText,
  setConnection,
  startPage,
  tc,
  unitCount,
} from '../lib/layout.ts'
import { type AssemblySnapshot, connectLive, type MotionView, realtimeBase, ticketUrl } from '../lib/live.ts'
import { meter } from '../lib/meter.ts'
import { qrCode } from '../lib/qr.ts'
import { quorumChart } from '../lib/quorum-chart.ts'
import { quorumGauges } from '../lib/quorum-view.ts'
import { speakerLabel, ts } from '../lib/speakers.ts'

const t = translator<keyof typeof screenMessages.es>(common, screenMessages)

const token = param('token')
const assemblyId = param('assembly')

const state = {
  snapshot: null as AssemblySnapshot | null,
  failures: 0,
}

const titleArea = h('div')
const motionArea = h('section', { class: 'panel', 'aria-labelledby': 'motion-title' })
const quorumArea = h('section', { class: 'panel', 'aria-labelledby': 'quorum-title' })
const joinArea = h('section', { class: 'panel join', 'aria-labelledby': 'join-title' })
const speakerArea = h('section', { class: 'panel speakers', 'aria-labelledby': 'speakers-title' })
const chartArea = h('section', { class: 'panel chart-panel', 'aria-labelledby': 'chart-title' })
const mainChartSlot = h('div')
const sideChartSlot = h('div')

startPage({
  title: () => state.snapshot?.assembly.title ?? t('title'),
  signedIn: !token,
  live: true,
  headerExtra: () => [
    h(
      'button',
      {
        type: 'button',
        class: 'link-button',
        onclick: () => void document.documentElement.requestFullscreen?.().catch(() => {}),
      },
      t('fullScreen'),
    ),
  ],
  draw: (main) => {
    if (!token && !assemblyId) {
      replace(main, h('h1', null, t('title')), errorBox(tc('missingParams')))
      return
    }
    replace(
      main,
      h(
        'div',
        { class: 'screen' },
        h('div', null, titleArea, motionArea, speakerArea, mainChartSlot),
        h('div', null, quorumArea, joinArea, sideChartSlot),
      ),
    )
    drawAll()
  },
})

function drawAll(): void {
  const snapshot = state.snapshot
  if (!snapshot) {
    replace(
      titleArea,
      h('h1', null, t('title')),
      state.failures >= 3 && token
        ? errorBox(t('invalidLink'))
        : h('p', { class: 'subtitle' }, tc('loading')),
    )
    return
  }
  const { assembly } = snapshot
  replace(
    titleArea,
    h('h1', null, assembly.title),
    h(
      'p',
      { class: 'subtitle' },
      `${assembly.organizationName} · ${assemblyStatusText(assembly.status)} · ${callText(assembly.call)}`,
    ),
    assembly.agendaItem
      ? h('p', { class: 'agenda-now', id: 'agenda-now' }, t('agendaNow', assembly.agendaItem))
      : null,
  )
  drawMotion(snapshot)
  drawSpeakers(snapshot)
  drawQuorum(snapshot)
  drawJoin(snapshot)
  drawChart(snapshot)
}

/** The open motion, else the last one closed. */
function currentMotion(snapshot: AssemblySnapshot): MotionView | null {
  const open = snapshot.motions.find((motion) => motion.status === 'open')
  if (open) return open
  const closed = snapshot.motions.filter((motion) => motion.status === 'closed')
  return closed.at(-1) ?? null
}

/** The result's explanation carries exact figures (9 decimals); a projector shows two. */
function twoDecimals(text: string): string {
  const format = new Intl.NumberFormat(locale(), { minimumFractionDigits: 2, maximumFractionDigits: 2 })
  return text.replace(/\d+\.\d{3,}/g, (figure) => format.format(Number(figure)))
}

const share = (part: number, whole: number) => (whole > 0 ? (part / whole) * 100 : 0)

function drawMotion(snapshot: AssemblySnapshot): void {
  const motion = currentMotion(snapshot)
  if (!motion && speakersActive(snapshot)) {
    // Waiting while someone speaks: the speaker takes the space; the join QR goes to the side card.
    joinArea.hidden = false
    motionArea.hidden = true
    replace(motionArea)
    return
  }
  motionArea.hidden = false
  if (!motion) {
    // Waiting: the join QR takes the empty space, large enough to scan from the back rows.
    joinArea.hidden = true
    replace(
      motionArea,
      h('h2', { id: 'motion-title' }, snapshot.motions.length ? t('waiting') : t('noMotion')),
      h('p', { class: 'subtitle' }, t('joinTitle')),
      h('div', { class: 'qr qr-big' }, qrCode(joinUrl(snapshot), t('joinTitle'))),
      h('p', { class: 'join-url' }, t('joinHint'), ' ', h('span', { class: 'mono' }, joinUrl(snapshot))),
    )
    return
  }
  joinArea.hidden = false
  const eligibleCoefficient = Number(motion.eligible.coefficient)
  const election = motion.result?.election
  const rows = election
    ? candidateRows(motion, election)
    : motion.counts
      ? motion.options.map((option) => {
          const count = motion.counts?.find((item) => item.key === option.key) ?? {
            units: 0,
            coefficient: '0',
          }
          return h(
            'div',
            { class: 'option' },
            h('h3', { class: 'option-name' }, option.label),
            h(
              'div',
              { class: 'option-bars' },
              meter({
                label: t('tallyLegendCoefficient'),
                // A secret motion's weight is withheld ('') when it would single out its voters.
                valueText: count.coefficient === '' ? '—' : formatPercent(count.coefficient, 2),
                percent: share(Number(count.coefficient), eligibleCoefficient),
              }),
              meter({
                label: t('tallyLegendUnits'),
                valueText: unitCount(count.units, formatInteger),
                percent: share(count.units, motion.eligible.units),
              }),
            ),
          )
        })
      : [h('p', { class: 'subtitle' }, t(motion.secret ? 'secretOpen' : 'sealedOpen'))]
  replace(
    motionArea,
    h('h2', { id: 'motion-title' }, motion.title),
    h(
      'p',
      { class: 'motion-status-row' },
      h(
        'span',
        { class: `badge ${motion.status === 'open' ? 'badge-live' : ''}` },
        h('span', { 'aria-hidden': 'true' }, motion.status === 'open' ? '● ' : '■ '),
        motionStatusText(motion.status),
      ),
      motion.status === 'open' && motion.openedAt ? voteTimer(motion.openedAt) : null,
    ),
    motion.seats && !motion.result
      ? h(
          'p',
          { class: 'subtitle' },
          t(motion.seats === 1 ? 'electionOneSeat' : 'electionSeats', { seats: String(motion.seats) }),
        )
      : null,
    ...resultLines(motion),
    rows,
    h(
      'p',
      { class: 'big-number' },
      t('votesCounted', {
        voted: formatInteger(motion.voted.units),
        eligible: formatInteger(motion.eligible.units),
      }),
    ),
    // A secret motion's voted weight is withheld ('') when it would single out voters: no "0 %" line.
    motion.voted.coefficient === ''
      ? null
      : h(
          'p',
          { class: 'subtitle' },
          t('votesCoefficient', {
            voted: formatPercent(motion.voted.coefficient, 2),
            eligible: formatPercent(motion.eligible.coefficient, 2),
          }),
        ),
  )
}

type Election = NonNullable<NonNullable<MotionView['result']>['election']>

/**
 * A closed election's candidates, most voted first, one line each (a board of 5–10 candidates must fit
 * the screen): rank, name, Electo/a or Empate, and one bar with the coefficient and the units.
 */
function candidateRows(motion: MotionView, election: Election) {
  const eligibleCoefficient = Number(motion.eligible.coefficient)
  const countOf = (key: string) =>
    motion.counts?.find((item) => item.key === key) ?? { units: 0, coefficient: '' }
  // A secret election's weights are withheld ('') when one would single out its voters: bars by units.
  const byUnits = election.candidates.some((candidate) => countOf(candidate.key).coefficient === '')
  const items = election.candidates.map((candidate) => {
    const option = motion.options.find((o) => o.key === candidate.key)
    const count = countOf(candidate.key)
    const units = unitCount(count.units, formatInteger)
    const fill = h('div', { class: 'meter-fill' })
    const percent = byUnits
      ? share(count.units, motion.eligible.units)
      : share(Number(count.coefficient), eligibleCoefficient)
    fill.style.setProperty('width', `${Math.min(100, Math.max(0, percent))}%`)
    return h(
      'li',
      { class: `candidate candidate-${String(candidate.elected)}` },
      h(
        'div',
        { class: 'candidate-head' },
        h(
          'h3',
          { class: 'option-name' },
          h('span', { class: 'rank' }, `${candidate.rank}.`),
          ' ',
          option?.label ?? candidate.key,
          ' ',
          candidate.elected === true
            ? h('span', { class: 'badge badge-ok' }, `✔ ${t('elected')}`)
            : candidate.elected === 'tie'
              ? h('span', { class: 'badge badge-tie' }, `= ${t('tie')}`)
              : null,
        ),
        h(
          'span',
          { class: 'candidate-value' },
          byUnits ? units : `${formatPercent(count.coefficient, 2)} · ${units}`,
        ),
      ),
      h('div', { class: 'meter-track', 'aria-hidden': 'true' }, fill),
    )
  })
  return [
    h(
      'p',
      { class: 'subtitle' },
      t(byUnits ? 'barsByUnits' : 'barsByCoefficient', { seats: String(election.seats) }),
    ),
    // More than four candidates: two columns, so a whole board fits a 720p projector.
    h('ol', { class: `candidates${items.length > 4 ? ' candidates-wide' : ''}` }, items),
  ]
}

/** Aprobada / Rechazada with its explanation, or for an election who is elected and who ties. */
function resultLines(motion: MotionView) {
  const result = motion.result
  if (!result) return []
  if (!result.election) {
    return [
      h('p', { class: 'outcome' }, t('outcome', { outcome: outcomeText(result.outcome) })),
      h('p', { class: 'subtitle' }, twoDecimals(result.explanation)),
    ]
  }
  const label = (key: string) => motion.options.find((option) => option.key === key)?.label ?? key
  const { elected, tied } = electionNames(result.election.candidates, label)
  const and = (list: string[]) => joinNames(list, t('and'))
  return [
    h(
      'p',
      { class: 'outcome outcome-election' },
      elected.length > 0
        ? t(elected.length === 1 ? 'electedOne' : 'electedList', { names: and(elected) })
        : t('noneElected'),
    ),
    tied.length > 0 ? h('p', { class: 'outcome-tie' }, t('tieList', { names: and(tied) })) : null,
  ]
}

/** How long the vote has been open, big, ticking each second (see tickTimers). */
function voteTimer(openedAt: string): HTMLElement {
  return h(
    'span',
    { class: 'vote-timer' },
    h('span', { class: 'vote-timer-label' }, t('openFor')),
    ' ',
    h('span', { class: 'timer', 'data-since': openedAt }, elapsed(openedAt)),
  )
}

/** Minutes and seconds since `iso` (hours when it runs that long), from this screen's clock. */
function elapsed(iso: string): string {
  const seconds = Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 1000))
  const pad = (n: number) => String(n).padStart(2, '0')
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60]
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`
}

function tickTimers(): void {
  for (const timer of document.querySelectorAll<HTMLElement>('.timer[data-since]'))
    timer.textContent = elapsed(timer.dataset.since!)
}
setInterval(tickTimers, 1000)

const speakersActive = (snapshot: AssemblySnapshot) =>
  !!snapshot.speakers && (snapshot.speakers.now !== null || snapshot.speakers.waiting > 0)

/** Who has the floor, with how long, and who follows; hidden while nobody speaks or waits. */
function drawSpeakers(snapshot: AssemblySnapshot): void {
  const board = snapshot.speakers
  speakerArea.hidden = !speakersActive(snapshot)
  // While a vote is open the tally has the room: the speaker in one line, the queue left out.
  const voting = snapshot.motions.some((motion) => motion.status === 'open')
  speakerArea.classList.toggle('compact', voting)
  if (!board || speakerArea.hidden) {
    replace(speakerArea)
    return
  }
  const more = board.waiting - board.next.length
  replace(
    speakerArea,
    h('h2', { id: 'speakers-title', class: 'visually-hidden' }, ts('queueTitle')),
    h(
      'div',
      { class: 'speaker-now' },
      h('span', { class: 'speaker-role' }, ts('speakingNow')),
      board.now
        ? [
            h(
              'span',
              { class: 'timer speech-timer', 'data-since': board.now.startedAt },
              elapsed(board.now.startedAt),
            ),
            h('span', { class: 'speaker-name' }, speakerLabel(board.now)),
          ]
        : h('span', { class: 'speaker-name muted' }, ts('nobodySpeaking')),
    ),
    board.next.length > 0 && !voting
      ? h(
          'div',
          { class: 'speaker-next' },
          h('span', { class: 'speaker-role' }, ts('speakingNext')),
          h(
            'ol',
            null,
            board.next.map((speaker) => h('li', null, speakerLabel(speaker))),
            more > 0 ? h('li', { class: 'muted' }, ts('moreWaiting', { count: more })) : null,
          ),
        )
      : null,
  )
}

function drawQuorum(snapshot: AssemblySnapshot): void {
  replace(quorumArea, h('h2', { id: 'quorum-title' }, t('quorumTitle')), quorumGauges(snapshot.quorum))
}

/** Smallest useful chart drawing (px); below it the chart is left out rather than cut off. */
const CHART_MIN_PX = 90

/**
 * The quorum over time, in the main column's free space under the motion and the speakers: it grows to
 * fill what is left of the screen and is left out when too little is (a tally with many options).
 */
function drawChart(snapshot: AssemblySnapshot): void {
  const points = snapshot.quorumTrend ?? []
  const threshold = thresholdPercent(snapshot.quorum.threshold)
  chartArea.hidden = points.length === 0
  if (chartArea.hidden) return
  // The side column has room while the big join QR fills the main one; else the main column has.
  const slot = joinArea.hidden ? sideChartSlot : mainChartSlot
  slot.appendChild(chartArea)
  replace(
    chartArea,
    h('h2', { id: 'chart-title', class: 'chart-title' }, t('chartTitle')),
    quorumChart({
      points,
      threshold,
      nowSeconds: Date.now() / 1000,
      label: t('chartPresent'),
      thresholdLabel:
        threshold === null ? undefined : tc('quorumMinimum', { value: formatPercent(threshold, 0) }),
    }),
  )
  fitChart()
}

function fitChart(): void {
  const area = chartArea.querySelector<HTMLElement>('.chart-area')
  if (chartArea.hidden || !area) return
  area.style.setProperty('height', `${CHART_MIN_PX}px`)
  const spare = window.innerHeight - chartArea.getBoundingClientRect().bottom - 12
  const height = Math.min(CHART_MIN_PX + spare, window.innerHeight * 0.3)
  if (height < CHART_MIN_PX) {
    chartArea.hidden = true
    return
  }
  area.style.setProperty('height', `${Math.floor(height)}px`)
}
window.addEventListener('resize', () => {
  if (state.snapshot) drawChart(state.snapshot)
})

const joinUrl = (snapshot: AssemblySnapshot) =>
  `${location.origin}/vote?organization=${encodeURIComponent(snapshot.assembly.organizationId)}&assembly=${encodeURIComponent(snapshot.assembly.id)}`

function drawJoin(snapshot: AssemblySnapshot): void {
  const url = joinUrl(snapshot)
  replace(
    joinArea,
    h('h2', { id: 'join-title' }, t('joinTitle')),
    h('div', { class: 'qr' }, qrCode(url, t('joinTitle'))),
    h('p', { class: 'join-url' }, t('joinHint'), ' ', h('span', { class: 'mono' }, url)),
  )
}

connectLive({
  assemblyId: token ? undefined : (assemblyId ?? undefined),
  url: token ? async () => `${realtimeBase()}?screen=${encodeURIComponent(token)}` : ticketUrl,
  onSnapshot: (snapshot) => {
    state.snapshot = snapshot
    state.failures = 0
    // A signed link has no session to ask for the PH's settings: the snapshot carries them.
    setPlace({ locale: snapshot.assembly.locale, timeZone: snapshot.assembly.timeZone })
    document.title = `${snapshot.assembly.title} · ${tc('appName')}`
    drawAll()
  },
  onStatus: (status) => {
    if (status === 'offline' && !state.snapshot) {
      state.failures += 1
      drawAll()
    }
    setConnection(status)
  },
})
