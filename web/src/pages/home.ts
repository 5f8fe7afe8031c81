import type { MyAssemblyView, MyProxy } from '../../../core/assemblies/me.ts'
import type {
  AttendanceRecordView,
  AttendeeCode,
  CheckInResultView,
} from '../../../core/assemblies/schemas.ts'
import type { PasskeyView } from '../../../core/auth/schemas.ts'
import type { OrganizationView } from '../../../core/ph/schemas.ts'
import type { Assembly } from '../admin/types.ts'
import { mountChatWidget } from '../chat/launcher.ts'
import { common } from '../i18n/common.ts'
import { homeMessages } from '../i18n/home.ts'
import { ApiError, api, get, loadSession, post, type SessionInfo, seg } from '../lib/api.ts'
import { announce, type Child, h, replace } from '../lib/dom.ts'
import { formatDateTime, formatPercent, setPlace } from '../lib/format.ts'
import { translator } from '../lib/i18n.ts'
import {
  assemblyStatusText,
  errorBox,
  errorText,
  modalityText,
  okBox,
  startPage,
  tc,
  unitList,
} from '../lib/layout.ts'
import { passkeysAvailable, registerPasskey } from '../lib/passkeys.ts'
import { qrCode } from '../lib/qr.ts'
import type { VotableUnit } from '../vote/types.ts'
import { loadOwnerPanel, noticeView, ownerPanel } from './home-owner.ts'
import { loadPublished, publishedView } from './home-published.ts'

const t = translator<keyof typeof homeMessages.es>(common, homeMessages)

type Organization = SessionInfo['organizations'][number]
type Place = Pick<OrganizationView, 'locale' | 'timeZone'>

const state = {
  session: null as SessionInfo | null,
  places: new Map<string, Place>(),
  assemblies: new Map<string, Assembly[]>(),
  units: new Map<string, VotableUnit[]>(),
  proxiesGiven: new Map<string, MyProxy[]>(),
  codes: new Map<string, AttendeeCode>(),
  notices: new Map<string, HTMLElement>(),
  passkeys: [] as PasskeyView[],
  passkeyNotice: null as HTMLElement | null,
  error: null as string | null,
}

const page = startPage({ title: () => t('title'), signedIn: true, draw })

const LIVE = new Set(['in_progress', 'suspended'])
const UPCOMING = new Set(['convened'])
const isStaff = (org: Organization) => org.roles.includes('ph_admin') || org.roles.includes('checkin_staff')

function draw(main: HTMLElement): void {
  const session = state.session
  if (!session) {
    replace(
      main,
      h('h1', null, t('title')),
      state.error ? errorBox(state.error) : h('p', { class: 'loading' }, tc('loading')),
    )
    return
  }
  replace(
    main,
    h('h1', null, t('hello', { name: session.user.displayName ?? session.user.email })),
    session.user.isPlatformAdmin
      ? h('p', null, h('a', { class: 'button', href: '/platform' }, t('platform')))
      : null,
    session.organizations.length === 0
      ? h('p', { class: 'card' }, t('noOrganizations'))
      : session.organizations.map(organizationView),
    passkeysView(),
  )
}

function organizationView(org: Organization): HTMLElement {
  const place = state.places.get(org.id)
  if (place) setPlace(place)
  const assemblies = state.assemblies.get(org.id) ?? []
  const live = assemblies.filter((assembly) => LIVE.has(assembly.status))
  const upcoming = assemblies.filter((assembly) => UPCOMING.has(assembly.status))
  const past = assemblies.filter((assembly) => assembly.status === 'closed').slice(0, 3)
  const list = (title: string, items: Assembly[]) => [
    h('h3', null, title),
    items.length === 0
      ? h('p', { class: 'muted' }, t('none'))
      : h(
          'ul',
          { class: 'plain-list' },
          items.map((assembly) => assemblyView(org, assembly)),
        ),
  ]
  return h(
    'section',
    { class: 'card', 'aria-labelledby': `org-${org.id}` },
    h('h2', { id: `org-${org.id}` }, org.name),
    org.roles.includes('ph_admin')
      ? h('p', null, h('a', { href: `/admin?organization=${seg(org.id)}` }, t('adminConsole')))
      : null,
    list(t('liveTitle'), live),
    list(t('upcomingTitle'), upcoming),
    past.length > 0 ? list(t('pastTitle'), past) : null,
  )
}

function assemblyView(org: Organization, assembly: Assembly): HTMLElement {
  const key = assembly.id
  const query = `organization=${seg(org.id)}&assembly=${seg(assembly.id)}`
  const open = LIVE.has(assembly.status) || UPCOMING.has(assembly.status)
  const code = state.codes.get(key)
  const units = state.units.get(key)
  const upcoming = UPCOMING.has(assembly.status) && org.linkedAsPerson
  const panel = upcoming ? ownerPanel(org.id, assembly, page.redraw) : null
  // Before the meeting the owner panel shows units and proxies (with status and withdraw).
  const given = panel ? [] : (state.proxiesGiven.get(key) ?? [])
  const links: Child[] = [
    open && org.linkedAsPerson
      ? // Weeks before the meeting "Go vote" would promise what the page cannot do yet.
        LIVE.has(assembly.status)
        ? h('a', { class: 'button primary', href: `/vote?${query}` }, t('vote'))
        : h('a', { class: 'button', href: `/vote?${query}` }, t('voteLater'))
      : null,
    open && isStaff(org) ? h('a', { class: 'button', href: `/desk?${query}` }, t('desk')) : null,
    open && isStaff(org) ? h('a', { class: 'button', href: `/screen?${query}` }, t('screen')) : null,
    assembly.status === 'closed' && isStaff(org)
      ? h(
          'a',
          { href: `/api/organizations/${seg(org.id)}/assemblies/${seg(assembly.id)}/acta?format=html` },
          t('acta'),
        )
      : null,
  ]
  return h(
    'li',
    { class: 'stack' },
    h('strong', null, assembly.title),
    h(
      'div',
      { class: 'muted' },
      `${assemblyStatusText(assembly.status)} · ${formatDateTime(assembly.firstCallAt)} · ${t('modality', { modality: modalityText(assembly.modality) })}`,
    ),
    open ? noticeView(org.id, assembly) : null,
    h('div', { class: 'row' }, links),
    assembly.status === 'closed' && org.linkedAsPerson ? publishedView(org.id, assembly.id) : null,
    state.notices.get(key) ?? null,
    panel,
    !panel && units && units.length > 0
      ? h(
          'div',
          null,
          h('h4', null, t('myUnits')),
          h(
            'ul',
            null,
            units.map((unit) =>
              h(
                'li',
                null,
                t(unit.role === 'owner' ? 'asOwner' : 'asProxy', {
                  number: unit.number,
                  coefficient: formatPercent(unit.coefficient, 3),
                }),
                ` · ${unit.present ? t('presentYes') : t('presentNo')}`,
              ),
            ),
          ),
        )
      : null,
    given.length > 0
      ? h(
          'div',
          null,
          h('h4', null, t('proxiesGiven')),
          h(
            'ul',
            null,
            given.map((proxy) =>
              h('li', null, t('proxyGiven', { number: proxy.unitNumber, holder: proxy.holderName })),
            ),
          ),
        )
      : null,
    open && org.linkedAsPerson
      ? h(
          'div',
          { class: 'row' },
          assembly.modality !== 'in_person' &&
            assembly.status !== 'convened' &&
            !(units && units.length > 0 && units.every((unit) => unit.present))
            ? h(
                'button',
                { type: 'button', onclick: () => void selfCheckIn(org, assembly) },
                t('selfCheckIn'),
              )
            : null,
          code
            ? null
            : h('button', { type: 'button', onclick: () => void showCode(org, assembly) }, t('myCode')),
        )
      : null,
    code
      ? h(
          'div',
          { class: 'stack' },
          h('p', null, t('myCodeHint')),
          h('div', { class: 'qr' }, qrCode(code.token, t('myCodeLabel', { name: code.fullName }))),
          h('p', { class: 'mono' }, code.token),
        )
      : null,
  )
}

const attendeeError = (error: unknown) =>
  error instanceof ApiError && error.code === 'not_an_attendee' ? t('notAttendee') : errorText(error)

async function selfCheckIn(org: Organization, assembly: Assembly): Promise<void> {
  try {
    const result = await post<CheckInResultView>(
      `/organizations/${seg(org.id)}/assemblies/${seg(assembly.id)}/attendance/self-check-in`,
      {
        mode: 'remote',
      },
    )
    const numbers = (rows: AttendanceRecordView[]) => unitList(rows.map((row) => row.unitNumber))
    const message = result.checkedIn.length
      ? t('selfCheckedIn', { units: numbers(result.checkedIn) })
      : t('alreadyIn', { units: numbers(result.alreadyPresent) })
    state.notices.set(assembly.id, okBox(message))
    announce(message)
    await loadUnits(org, assembly)
  } catch (error) {
    state.notices.set(assembly.id, errorBox(attendeeError(error)))
  }
  page.redraw()
}

async function showCode(org: Organization, assembly: Assembly): Promise<void> {
  try {
    const code = await get<AttendeeCode>(
      `/organizations/${seg(org.id)}/assemblies/${seg(assembly.id)}/attendance/my-code`,
    )
    state.codes.set(assembly.id, code)
  } catch (error) {
    state.notices.set(assembly.id, errorBox(attendeeError(error)))
  }
  page.redraw()
}

/** My units for an assembly, as the vote path sees them (owned, or held by proxy), and proxies I gave. */
async function loadUnits(org: Organization, assembly: Assembly): Promise<void> {
  const mine = await get<MyAssemblyView>(`/organizations/${seg(org.id)}/assemblies/${seg(assembly.id)}/me`)
  state.units.set(assembly.id, mine.units)
  state.proxiesGiven.set(assembly.id, mine.proxiesGiven)
}

function passkeysView(): HTMLElement | null {
  if (!passkeysAvailable()) return null
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'passkeys-title' },
    h('h2', { id: 'passkeys-title' }, t('passkeysTitle')),
    state.passkeyNotice,
    state.passkeys.length === 0
      ? h('p', null, t('passkeysNone'))
      : h(
          'ul',
          { class: 'plain-list' },
          state.passkeys.map((passkey) =>
            h(
              'li',
              { class: 'row' },
              h('strong', null, passkey.name ?? passkey.id.slice(0, 8)),
              h(
                'span',
                { class: 'muted' },
                t('passkeyUsed', {
                  created: formatDateTime(passkey.createdAt),
                  used: passkey.lastUsedAt ? formatDateTime(passkey.lastUsedAt) : t('never'),
                }),
              ),
              h(
                'button',
                { type: 'button', class: 'danger', onclick: () => void removePasskey(passkey) },
                t('passkeyRemove'),
              ),
            ),
          ),
        ),
    h('button', { type: 'button', onclick: () => void addPasskey() }, t('passkeyAdd')),
  )
}

async function loadPasskeys(): Promise<void> {
  state.passkeys = (
    await get<{ passkeys: PasskeyView[] }>('/auth/passkeys').catch(() => ({ passkeys: [] }))
  ).passkeys
}

async function addPasskey(): Promise<void> {
  try {
    await registerPasskey()
    state.passkeyNotice = okBox(t('passkeyAdded'))
    announce(t('passkeyAdded'))
    await loadPasskeys()
  } catch {
    state.passkeyNotice = errorBox(t('passkeyFailed'))
  }
  page.redraw()
}

async function removePasskey(passkey: PasskeyView): Promise<void> {
  try {
    await api('DELETE', `/auth/passkeys/${seg(passkey.id)}`)
    state.passkeyNotice = okBox(t('passkeyRemoved'))
    announce(t('passkeyRemoved'))
    await loadPasskeys()
  } catch (error) {
    state.passkeyNotice = errorBox(errorText(error))
  }
  page.redraw()
}

async function load(): Promise<void> {
  try {
    state.session = await loadSession()
  } catch (error) {
    state.error = errorText(error)
    page.redraw()
    return
  }
  page.redraw()
  await Promise.all([
    loadPasskeys(),
    ...state.session.organizations.map(async (org) => {
      const base = `/organizations/${seg(org.id)}`
      const [place, list] = await Promise.all([
        get<Place>(base).catch(() => null),
        get<{ assemblies: Assembly[] }>(`${base}/assemblies`).catch(() => ({ assemblies: [] })),
      ])
      if (place) state.places.set(org.id, place)
      state.assemblies.set(org.id, list.assemblies)
      if (org.linkedAsPerson) {
        const live = list.assemblies.filter(
          (assembly) => LIVE.has(assembly.status) || UPCOMING.has(assembly.status),
        )
        const past = list.assemblies.filter((assembly) => assembly.status === 'closed').slice(0, 3)
        await Promise.all([
          ...past.map((assembly) => loadPublished(org.id, assembly.id).catch(() => {})),
          ...live.map((assembly) => loadUnits(org, assembly).catch(() => {})),
          ...live.map((assembly) => loadOwnerPanel(org.id, assembly.id).catch(() => {})),
        ])
      }
    }),
  ])
  page.redraw()
}

void load()
mountChatWidget()
