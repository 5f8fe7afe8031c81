import type {
  AttendanceRecordView,
  AttendeeMatch,
  CheckInResultView,
  CheckOutResultView,
} from '../../../core/assemblies/schemas.ts'
import type { OrganizationView } from '../../../core/ph/schemas.ts'
import { deskBallotForm } from '../desk/desk-ballot.ts'
import { handCountForm } from '../desk/hand-count.ts'
import { type ScannerState, startScanner } from '../desk/scanner.ts'
import {
  type DeskCode,
  deskCodeButtonLabel,
  deskCodeCard,
  deskCodeError,
  issueDeskCode,
} from '../desk/sign-in-code.ts'
import { common } from '../i18n/common.ts'
import { deskMessages } from '../i18n/desk.ts'
import { ApiError, get, post, seg } from '../lib/api.ts'
import { announce, focusOn, h, param, replace } from '../lib/dom.ts'
import { formatPercent, formatTime, setPlace } from '../lib/format.ts'
import { onSubmit, textField } from '../lib/forms.ts'
import { translator } from '../lib/i18n.ts'
import { errorBox, errorText, okBox, setConnection, startPage, tc, unitList } from '../lib/layout.ts'
import { type AssemblySnapshot, connectLive, ticketUrl } from '../lib/live.ts'
import { quorumGauges } from '../lib/quorum-view.ts'

const t = translator<keyof typeof deskMessages.es>(common, deskMessages)

const organizationId = param('organization')
const assemblyId = param('assembly')
const path = `/organizations/${seg(organizationId ?? '')}/assemblies/${seg(assemblyId ?? '')}`

const state = {
  snapshot: null as AssemblySnapshot | null,
  query: '',
  matches: null as AttendeeMatch[] | null,
  scanner: null as { stop(): void } | null,
  deskCode: null as DeskCode | null,
  scannerState: null as ScannerState | null,
}

const heading = h('h1', null, t('title'))
const notices = h('div')
const quorumArea = h('section', { class: 'card', 'aria-labelledby': 'quorum-title' })
const resultsArea = h('div')
const handCountArea = h('div')
const scanArea = h('div')
const scanButton = h('button', { type: 'button', onclick: toggleScanner })

startPage({
  title: () => t('title'),
  signedIn: true,
  live: true,
  requires: ['organization', 'assembly'],
  draw: (main) => {
    replace(
      main,
      heading,
      h(
        'p',
        { class: 'row' },
        h('a', { class: 'button', href: `/board${location.search}` }, t('boardLink')),
        h('a', { class: 'button', href: `/api${path}/exports/attendance`, download: '' }, t('attendanceCsv')),
      ),
      notices,
      quorumArea,
      h(
        'form',
        {
          class: 'card',
          role: 'search',
          onsubmit: onSubmit(async (form) => search(String(new FormData(form).get('q') ?? ''))),
        },
        h('label', { for: 'desk-q' }, t('searchLabel')),
        h(
          'div',
          { class: 'row' },
          h('input', {
            id: 'desk-q',
            name: 'q',
            type: 'search',
            value: state.query,
            autocomplete: 'off',
            oninput: onType,
          }),
          h('button', { type: 'submit', class: 'primary' }, t('searchButton')),
        ),
      ),
      resultsArea,
      handCountArea,
      h(
        'section',
        { class: 'card', 'aria-labelledby': 'scan-title' },
        h('h2', { id: 'scan-title' }, t('scanTitle')),
        scanButton,
        scanArea,
        h(
          'form',
          {
            onsubmit: onSubmit(async (form) =>
              checkInWithCode(String(new FormData(form).get('token') ?? '')),
            ),
          },
          textField({
            name: 'token',
            label: t('codeLabel'),
            hint: t('codeHint'),
            props: { autocomplete: 'off' },
          }),
          h('button', { type: 'submit' }, t('codeSubmit')),
        ),
      ),
    )
    drawTitle()
    drawQuorum()
    drawResults()
    drawHandCount()
    drawScanButton()
  },
})

function drawTitle(): void {
  heading.textContent = state.snapshot ? `${t('title')} · ${state.snapshot.assembly.title}` : t('title')
}

function say(ok: boolean, message: string): void {
  const box = ok ? okBox(message) : errorBox(message)
  replace(notices, box)
  if (ok) announce(message)
  else focusOn(box)
}

function drawQuorum(): void {
  replace(
    quorumArea,
    h('h2', { id: 'quorum-title' }, t('quorumTitle')),
    state.snapshot ? quorumGauges(state.snapshot.quorum) : h('p', { class: 'loading' }, tc('loading')),
  )
}

function drawResults(): void {
  if (state.matches === null) {
    replace(resultsArea)
    return
  }
  if (state.matches.length === 0) {
    replace(resultsArea, h('p', { class: 'card' }, t('noMatches', { q: state.query })))
    return
  }
  replace(
    resultsArea,
    h(
      'ul',
      { class: 'plain-list card', 'aria-label': t('resultsLabel') },
      state.matches.map((match) => {
        const representative = match.owners.find((owner) => owner.isRepresentative) ?? match.owners[0]
        const here = match.attendance
        return h(
          'li',
          null,
          h(
            'h3',
            null,
            `${tc('unit')} ${match.number}`,
            match.finca ? ` · Finca ${match.finca}` : '',
            ` · ${formatPercent(match.coefficient, 3)}`,
          ),
          h(
            'p',
            null,
            match.owners.map((owner, index) => [
              index > 0 ? ', ' : '',
              owner.fullName,
              ` (${owner.isRepresentative ? t('representative') : t('coOwner')})`,
            ]),
          ),
          match.proxy ? h('p', null, t('proxyHolder', { name: match.proxy.holderName })) : null,
          h(
            'p',
            null,
            h(
              'span',
              { class: `badge ${here ? 'badge-ok' : ''}` },
              h('span', { 'aria-hidden': 'true' }, here ? '✓ ' : '○ '),
              here
                ? t('present', {
                    mode: here.mode === 'remote' ? t('remote') : t('inPerson'),
                    time: formatTime(here.checkedInAt),
                  })
                : t('absent'),
            ),
          ),
          h(
            'div',
            { class: 'row' },
            here
              ? [
                  h('button', { type: 'button', onclick: () => void checkOut(match) }, t('checkOut')),
                  here.personId
                    ? h(
                        'button',
                        { type: 'button', onclick: () => void showDeskCode(match, here.personId!) },
                        deskCodeButtonLabel(),
                      )
                    : null,
                ]
              : [
                  match.proxy
                    ? h(
                        'button',
                        {
                          type: 'button',
                          class: 'primary',
                          // Every unit this holder represents, in one action.
                          onclick: () => void checkIn(match, match.proxy!.holderPersonId, true),
                        },
                        t('checkInProxy', { name: match.proxy.holderName }),
                      )
                    : null,
                  representative
                    ? h(
                        'button',
                        {
                          type: 'button',
                          class: match.proxy ? '' : 'primary',
                          onclick: () => void checkIn(match, representative.personId),
                        },
                        t('checkInAs', { name: representative.fullName }),
                      )
                    : null,
                ],
          ),
          here && organizationId
            ? (state.snapshot?.motions ?? [])
                .filter((motion) => motion.status === 'open')
                .map((motion) => deskBallotForm(organizationId, motion, match))
            : null,
          state.deskCode?.unitId === match.unitId
            ? deskCodeCard(state.deskCode, () => {
                state.deskCode = null
                drawResults()
              })
            : null,
        )
      }),
    ),
  )
}

/** A show of hands or paper count for each open motion (redrawn only when the open motions change). */
function drawHandCount(): void {
  const open = (state.snapshot?.motions ?? []).filter((motion) => motion.status === 'open')
  replace(
    handCountArea,
    organizationId ? open.map((motion) => handCountForm(path, organizationId, motion)) : [],
  )
}

let typingTimer: ReturnType<typeof setTimeout> | undefined
function onType(event: Event): void {
  const value = (event.target as HTMLInputElement).value
  clearTimeout(typingTimer)
  typingTimer = setTimeout(() => void search(value, false), 300)
}

async function search(query: string, announceCount = true): Promise<void> {
  state.query = query.trim()
  if (!state.query) {
    state.matches = null
    drawResults()
    return
  }
  try {
    state.matches = (
      await get<{ matches: AttendeeMatch[] }>(
        `${path}/attendance/search?q=${encodeURIComponent(state.query)}&limit=20`,
      )
    ).matches
    drawResults()
    if (announceCount && state.matches.length === 0) announce(t('noMatches', { q: state.query }))
  } catch (error) {
    say(false, errorText(error))
  }
}

function attendanceError(error: unknown): string {
  if (!(error instanceof ApiError)) return errorText(error)
  if (error.code === 'invalid_check_in_token') return t('invalidCode')
  if (error.code === 'assembly_not_open' || error.code === 'assembly_closed') return t('notOpen')
  if (error.code === 'already_checked_in') return t('otherAttends')
  return errorText(error)
}

function reportCheckIn(result: CheckInResultView): void {
  const numbers = (records: AttendanceRecordView[]) => unitList(records.map((record) => record.unitNumber))
  const parts = [
    result.checkedIn.length ? t('checkedIn', { units: numbers(result.checkedIn) }) : '',
    result.alreadyPresent.length ? t('alreadyPresent', { units: numbers(result.alreadyPresent) }) : '',
    ...result.revokedProxies.map((proxy) =>
      t('proxyRevoked', { unit: proxy.unitNumber, holder: proxy.holder.fullName }),
    ),
  ]
  say(true, parts.filter(Boolean).join(' '))
}

async function checkIn(match: AttendeeMatch, personId: string, allUnits = false): Promise<void> {
  try {
    reportCheckIn(
      await post<CheckInResultView>(`${path}/attendance/check-in`, {
        personId,
        ...(allUnits ? {} : { unitIds: [match.unitId] }),
        mode: 'in_person',
      }),
    )
    await search(state.query, false)
  } catch (error) {
    say(false, attendanceError(error))
  }
}

async function showDeskCode(match: AttendeeMatch, personId: string): Promise<void> {
  try {
    state.deskCode = await issueDeskCode(path, match.unitId, personId)
    drawResults()
    document.getElementById('desk-code')?.scrollIntoView({ block: 'nearest' })
  } catch (error) {
    say(false, deskCodeError(error) ?? attendanceError(error))
  }
}

async function checkOut(match: AttendeeMatch): Promise<void> {
  try {
    const result = await post<CheckOutResultView>(`${path}/attendance/check-out`, {
      unitIds: [match.unitId],
    })
    say(true, t('checkedOut', { units: unitList(result.checkedOut.map((record) => record.unitNumber)) }))
    await search(state.query, false)
  } catch (error) {
    say(false, attendanceError(error))
  }
}

async function checkInWithCode(token: string): Promise<void> {
  if (!token.trim()) return
  try {
    reportCheckIn(
      await post<CheckInResultView>(`${path}/attendance/check-in`, {
        token: token.trim(),
        mode: 'in_person',
      }),
    )
  } catch (error) {
    say(false, attendanceError(error))
  }
}

/** The camera button tells the truth: "stop" only while a stream is actually running. */
function drawScanButton(): void {
  const starting = state.scannerState === 'starting'
  scanButton.textContent = starting
    ? t('scanStarting')
    : state.scannerState === 'running'
      ? t('scanStop')
      : t('scanStart')
  scanButton.disabled = starting
}

function toggleScanner(): void {
  if (state.scanner) {
    state.scanner.stop()
    state.scanner = null
    state.scannerState = null
    replace(scanArea)
    drawScanButton()
    return
  }
  state.scanner = startScanner(scanArea, {
    label: t('video'),
    scanning: t('scanning'),
    unsupported: t('scanUnsupported'),
    denied: t('scanDenied'),
    noCamera: t('scanNoCamera'),
    failed: t('scanFailed'),
    onCode: (code) => void checkInWithCode(code),
    onState: (scannerState) => {
      if (scannerState === 'failed') {
        state.scanner = null
        state.scannerState = null
      } else state.scannerState = scannerState
      drawScanButton()
    },
  })
}

if (organizationId && assemblyId) {
  get<Pick<OrganizationView, 'locale' | 'timeZone'>>(`/organizations/${seg(organizationId)}`)
    .then((organization) => setPlace(organization))
    .catch(() => {})
  connectLive({
    assemblyId,
    url: ticketUrl,
    onSnapshot: (snapshot) => {
      const opened = (s: AssemblySnapshot | null) =>
        (s?.motions ?? [])
          .filter((m) => m.status === 'open')
          .map((m) => m.id)
          .join()
      const motionsChanged = opened(state.snapshot) !== opened(snapshot)
      state.snapshot = snapshot
      drawTitle()
      drawQuorum()
      // A motion opened or closed: the results offer (or stop offering) desk ballots.
      if (motionsChanged) {
        drawResults()
        drawHandCount()
      }
    },
    onStatus: setConnection,
  })
}
