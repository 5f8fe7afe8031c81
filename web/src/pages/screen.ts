import { common } from '../i18n/common.ts'
import { screenMessages } from '../i18n/screen.ts'
import { h, param, replace } from '../lib/dom.ts'
import { formatInteger, formatPercent, locale, setPlace } from '../lib/format.ts'
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
import { quorumGauges } from '../lib/quorum-view.ts'

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
        h('div', null, titleArea, motionArea),
        h('div', null, quorumArea, joinArea),
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
  drawQuorum(snapshot)
  drawJoin(snapshot)
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
  const rows = motion.counts
    ? rankedOptions(motion).map((option) => {
        const count = motion.counts?.find((item) => item.key === option.key) ?? { units: 0, coefficient: '0' }
        return h(
          'div',
          { class: 'option' },
          h('h3', { class: 'option-name' }, option.label, ' ', electedBadge(election, option.key)),
          h(
            'div',
            { class: 'option-bars' },
            meter({
              label: t('tallyLegendCoefficient'),
              // A secret motion's weight is withheld ('') when it would single out its voters.
              valueText: count.coefficient === '' ? '—' : formatPercent(count.coefficient, 3),
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
      null,
      h(
        'span',
        { class: `badge ${motion.status === 'open' ? 'badge-live' : ''}` },
        h('span', { 'aria-hidden': 'true' }, motion.status === 'open' ? '● ' : '■ '),
        motionStatusText(motion.status),
      ),
    ),
    motion.seats ? h('p', { class: 'subtitle' }, t('electionSeats', { seats: String(motion.seats) })) : null,
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
    h(
      'p',
      { class: 'subtitle' },
      t('votesCoefficient', {
        voted: formatPercent(motion.voted.coefficient, 3),
        eligible: formatPercent(motion.eligible.coefficient, 3),
      }),
    ),
  )
}

/** An election's candidates most voted first once it has a result; otherwise the motion's order. */
function rankedOptions(motion: MotionView) {
  const election = motion.result?.election
  if (!election) return motion.options
  const rank = new Map(election.candidates.map((c, index) => [c.key, index]))
  return [...motion.options].sort((a, b) => (rank.get(a.key) ?? 99) - (rank.get(b.key) ?? 99))
}

type Election = NonNullable<NonNullable<MotionView['result']>['election']>

function electedBadge(election: Election | undefined, key: string) {
  const elected = election?.candidates.find((c) => c.key === key)?.elected
  if (elected === true) return h('span', { class: 'badge badge-ok' }, `✔ ${t('elected')}`)
  if (elected === 'tie') return h('span', { class: 'badge badge-tie' }, `= ${t('tie')}`)
  return null
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
  const names = (elected: boolean | 'tie') =>
    result.election!.candidates.filter((c) => c.elected === elected).map((c) => label(c.key))
  const elected = names(true)
  const tied = names('tie')
  return [
    h(
      'p',
      { class: 'outcome' },
      elected.length > 0 ? t('electedList', { names: elected.join(', ') }) : t('noneElected'),
    ),
    tied.length > 0 ? h('p', { class: 'outcome-tie' }, t('tieList', { names: tied.join(', ') })) : null,
  ]
}

function drawQuorum(snapshot: AssemblySnapshot): void {
  replace(quorumArea, h('h2', { id: 'quorum-title' }, t('quorumTitle')), quorumGauges(snapshot.quorum))
}

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
