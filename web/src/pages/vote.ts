import type { CheckOutResultView } from '../../../core/assemblies/schemas.ts'
import { mountChatWidget } from '../chat/launcher.ts'
import { common } from '../i18n/common.ts'
import { voteMessages } from '../i18n/vote.ts'
import { get, post, seg } from '../lib/api.ts'
import { announce, type Child, h, param, replace } from '../lib/dom.ts'
import { formatInteger, formatPercent, formatTime } from '../lib/format.ts'
import { translator } from '../lib/i18n.ts'
import {
  assemblyStatusText,
  callText,
  errorBox,
  errorText,
  motionStatusText,
  okBox,
  outcomeText,
  setConnection,
  startPage,
  tc,
} from '../lib/layout.ts'
import { type AssemblySnapshot, connectLive, type MotionView, ticketUrl } from '../lib/live.ts'
import { type Ballot, createBallot, drawBallot, updateUnits } from '../vote/ballot.ts'
import { createSpeakPanel } from '../vote/speak.ts'
import type { MotionDetail, VotableUnit } from '../vote/types.ts'

const t = translator<keyof typeof voteMessages.es>(common, voteMessages)

const organizationId = param('organization')
const assemblyId = param('assembly')

const state = {
  snapshot: null as AssemblySnapshot | null,
  ballots: new Map<string, Ballot>(),
  loading: new Set<string>(),
  seenStatus: new Map<string, string>(),
  presentUnits: -1,
  error: null as string | null,
  left: false,
}

const summary = h('div')
const openArea = h('div')
const closedArea = h('section', { 'aria-labelledby': 'closed-title' })
const leaveArea = h('section', { class: 'card', 'aria-labelledby': 'leave-title' })
const leaveNotice = h('div')
const speak = organizationId && assemblyId ? createSpeakPanel(organizationId, assemblyId) : null

const page = startPage({
  title: () => state.snapshot?.assembly.title ?? t('title'),
  signedIn: true,
  live: true,
  requires: ['organization', 'assembly'],
  draw: (main) => {
    replace(main, summary, openArea, speak?.element ?? null, closedArea, leaveArea)
    drawAll()
    drawLeave()
    for (const ballot of state.ballots.values()) drawBallot(ballot)
  },
})

function drawAll(): void {
  drawSummary()
  drawOpen()
  drawClosed()
}

function drawSummary(): void {
  const snapshot = state.snapshot
  if (!snapshot) {
    replace(
      summary,
      h('h1', null, t('title')),
      state.error ? errorBox(state.error) : h('p', { class: 'loading' }, tc('loading')),
    )
    return
  }
  const { assembly, quorum } = snapshot
  replace(
    summary,
    h('h1', null, assembly.title),
    h(
      'p',
      { class: 'muted' },
      `${assembly.organizationName} · ${assemblyStatusText(assembly.status)} · ${callText(assembly.call)}`,
    ),
    assembly.agendaItem
      ? h(
          'p',
          { class: 'agenda-now', id: 'agenda-now' },
          h('strong', null, t('agendaNow', assembly.agendaItem)),
        )
      : null,
    h(
      'p',
      null,
      h(
        'span',
        { class: `badge ${quorum.reached ? 'badge-ok' : 'badge-bad'}` },
        h('span', { 'aria-hidden': 'true' }, quorum.reached ? '✓ ' : '✕ '),
        quorum.reached ? tc('quorumReached') : tc('quorumNotReached'),
      ),
      ' ',
      t('quorumLine', {
        coefficient: formatPercent(quorum.byCoefficient.percent),
        present: formatInteger(quorum.byUnits.present),
        total: formatInteger(quorum.byUnits.total),
      }),
    ),
    state.error ? errorBox(state.error) : null,
  )
}

function progressText(motion: MotionView): string {
  return t('progress', {
    voted: formatInteger(motion.voted.units),
    eligible: formatInteger(motion.eligible.units),
  })
}

function drawOpen(): void {
  const snapshot = state.snapshot
  if (!snapshot) {
    replace(openArea)
    return
  }
  const open = snapshot.motions.filter((motion) => motion.status === 'open')
  if (open.length === 0) {
    replace(openArea, h('p', { class: 'card' }, t('noOpen')))
    return
  }
  // Cards are rebuilt around the ballots' own elements, which keep their state and inputs.
  replace(
    openArea,
    open.map((motion) => {
      const ballot = state.ballots.get(motion.id)
      return h(
        'article',
        { class: 'card', 'aria-labelledby': `motion-${motion.id}` },
        h('h2', { id: `motion-${motion.id}` }, motion.title),
        h(
          'p',
          { class: 'row' },
          h(
            'span',
            { class: 'badge badge-ok' },
            h('span', { 'aria-hidden': 'true' }, '● '),
            motionStatusText(motion.status),
          ),
          h('span', { class: 'muted', id: `progress-${motion.id}` }, progressText(motion)),
        ),
        ballot?.motion.description ? h('p', null, ballot.motion.description) : null,
        motion.secret ? h('p', { class: 'notice notice-info' }, t('secretNote')) : null,
        ballot ? ballot.element : h('p', { class: 'loading' }, tc('loading')),
      )
    }),
  )
}

function drawClosed(): void {
  const closed = state.snapshot?.motions.filter((motion) => motion.status === 'closed') ?? []
  if (closed.length === 0) {
    replace(closedArea)
    return
  }
  replace(
    closedArea,
    h('h2', { id: 'closed-title' }, t('closedTitle')),
    h(
      'ul',
      { class: 'plain-list card' },
      closed.map(
        (motion): Child =>
          h(
            'li',
            null,
            h('strong', null, motion.title),
            h(
              'div',
              null,
              motion.result
                ? t('result', { outcome: outcomeText(motion.result.outcome) })
                : motionStatusText(motion.status),
            ),
            motion.result ? h('p', { class: 'muted' }, motion.result.explanation) : null,
            h('a', { href: `/receipts?motion=${seg(motion.id)}` }, t('publicReceipts')),
          ),
      ),
    ),
  )
}

async function loadBallot(motionId: string): Promise<void> {
  if (state.loading.has(motionId) || !organizationId) return
  state.loading.add(motionId)
  try {
    const base = `/organizations/${seg(organizationId)}/motions/${seg(motionId)}`
    const [motion, votable] = await Promise.all([
      get<MotionDetail>(base),
      get<{ units: VotableUnit[] }>(`${base}/votable-units`),
    ])
    state.ballots.set(motionId, createBallot(organizationId, motion, votable.units))
    drawOpen()
  } catch {
    // Retried on the next update.
  } finally {
    state.loading.delete(motionId)
  }
}

/** Leaving the meeting: the owner is told first what it does to the quorum. */
function drawLeave(): void {
  replace(
    leaveArea,
    h('h2', { id: 'leave-title' }, t('leaveTitle')),
    h('p', { class: 'muted' }, t('leaveHint')),
    leaveNotice,
    // Once out, the button would only record the same departure again.
    state.left
      ? null
      : h('button', { type: 'button', class: 'danger', onclick: () => void leave() }, t('leaveButton')),
  )
}

async function leave(): Promise<void> {
  const quorum = state.snapshot?.quorum
  const warning = quorum
    ? t('leaveConfirm', { coefficient: formatPercent(quorum.byCoefficient.percent) })
    : t('leaveHint')
  if (!confirm(warning) || !organizationId || !assemblyId) return
  try {
    const result = await post<CheckOutResultView>(
      `/organizations/${seg(organizationId)}/assemblies/${seg(assemblyId)}/attendance/self-check-out`,
      {},
    )
    const text = t(result.quorum.reached ? 'leftKept' : 'leftLost', {
      time: formatTime(result.checkedOut[0]?.checkedOutAt ?? new Date()),
    })
    replace(leaveNotice, okBox(text))
    state.left = true
    drawLeave()
    announce(text)
  } catch (error) {
    replace(leaveNotice, errorBox(errorText(error)))
  }
}

let unitsTimer: ReturnType<typeof setTimeout> | undefined
/** Presence changed (someone checked in): refresh which of my units may vote, at most every 2 s. */
function refreshUnitsSoon(): void {
  if (unitsTimer || !organizationId) return
  unitsTimer = setTimeout(async () => {
    unitsTimer = undefined
    for (const ballot of state.ballots.values()) {
      if (ballot.motion.status !== 'open') continue
      const votable = await get<{ units: VotableUnit[] }>(
        `/organizations/${seg(organizationId)}/motions/${seg(ballot.motion.id)}/votable-units`,
      ).catch(() => null)
      if (votable) updateUnits(ballot, votable.units)
    }
  }, 2000)
}

function onSnapshot(snapshot: AssemblySnapshot): void {
  const first = state.snapshot === null
  state.snapshot = snapshot
  state.error = null
  let openSetChanged = first
  for (const motion of snapshot.motions) {
    const before = state.seenStatus.get(motion.id)
    if (before !== motion.status) {
      openSetChanged = true
      if (!first && motion.status === 'open') announce(t('openedNow', { title: motion.title }))
      if (!first && before === 'open' && motion.status === 'closed')
        announce(t('closedNow', { title: motion.title }))
      state.seenStatus.set(motion.id, motion.status)
    }
    const ballot = state.ballots.get(motion.id)
    if (ballot && ballot.motion.status !== motion.status) {
      ballot.motion = { ...ballot.motion, status: motion.status }
      if (motion.status !== 'open') state.ballots.delete(motion.id)
    }
    if (motion.status === 'open' && !state.ballots.has(motion.id)) void loadBallot(motion.id)
  }
  if (snapshot.quorum.byUnits.present !== state.presentUnits) {
    if (state.presentUnits >= 0) refreshUnitsSoon()
    state.presentUnits = snapshot.quorum.byUnits.present
  }
  document.title = `${snapshot.assembly.title} · ${tc('appName')}`
  speak?.update(snapshot)
  drawSummary()
  if (openSetChanged) {
    drawOpen()
    drawClosed()
  } else {
    for (const motion of snapshot.motions) {
      const progress = document.getElementById(`progress-${motion.id}`)
      if (progress) progress.textContent = progressText(motion)
    }
    drawClosed()
  }
}

if (organizationId && assemblyId) {
  connectLive({
    assemblyId,
    url: ticketUrl,
    onSnapshot,
    onStatus: setConnection,
    onError: (code) => {
      state.error = code === 'not_found' ? tc('errorNotFound') : tc('errorGeneric', { code })
      drawSummary()
    },
  })
}
void page
mountChatWidget()
