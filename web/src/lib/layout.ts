import { type CommonKey, common } from '../i18n/common.ts'
import { type ErrorCode, errorMessages, fieldNames } from '../i18n/errors.ts'
import { ApiError, post } from './api.ts'
import { type Child, h, replace } from './dom.ts'
import { currentLang, onLangChange, setLang, translator } from './i18n.ts'
import type { LiveStatus } from './live.ts'

export const tc = translator<CommonKey>(common)

export interface PageOptions {
  /** Document title in the current language. */
  title: () => string
  /** Draws the page into <main>; called again after a language switch. */
  draw: (main: HTMLElement) => void
  /** Show the sign-out button (pages for signed-in users). */
  signedIn?: boolean
  /** Show the live connection's state (pages with a WebSocket; see setConnection). */
  live?: boolean
  /** Query parameters the page cannot work without; when one is missing it says so instead. */
  requires?: string[]
  /** Extra header content (e.g. the connection status). */
  headerExtra?: () => Child
}

/** Sets up header, language switch and main area, then draws; redraws on a language switch. */
export function startPage(options: PageOptions): { redraw(): void } {
  const header = document.getElementById('top')
  const main = document.getElementById('main') as HTMLElement
  const redraw = () => {
    document.documentElement.lang = currentLang()
    document.title = `${options.title()} · ${tc('appName')}`
    if (header) replace(header, headerContent(options))
    const params = new URLSearchParams(location.search)
    if (options.requires?.some((name) => !params.get(name))) {
      replace(main, h('h1', null, options.title()), errorBox(tc('missingParams')))
      return
    }
    options.draw(main)
  }
  onLangChange(redraw)
  redraw()
  return { redraw }
}

function headerContent(options: PageOptions): Child {
  const other = currentLang() === 'es' ? 'en' : 'es'
  return h(
    'div',
    { class: 'bar' },
    h('a', { class: 'brand', href: '/' }, tc('appName')),
    h(
      'div',
      { class: 'bar-actions' },
      options.live ? connectionBadge(connection) : null,
      options.headerExtra?.(),
      h(
        'button',
        {
          type: 'button',
          class: 'link-button',
          lang: other,
          'aria-label': tc('switchLanguageLabel'),
          onclick: () => setLang(other),
        },
        tc('switchLanguage'),
      ),
      options.signedIn
        ? h(
            'button',
            {
              type: 'button',
              class: 'link-button',
              onclick: async () => {
                await post('/auth/logout').catch(() => {})
                location.assign('/sign-in')
              },
            },
            tc('signOut'),
          )
        : null,
    ),
  )
}

let connection: LiveStatus = 'connecting'

/** Shows the live connection's state in the header (pages call it on every change). */
export function setConnection(status: LiveStatus): void {
  if (status === connection) return
  connection = status
  document.querySelector('.site-header .connection')?.replaceWith(connectionBadge(status))
}

/** A short status with a symbol and words (never colour alone). */
function connectionBadge(status: LiveStatus): HTMLElement {
  const text = {
    live: tc('statusLive'),
    connecting: tc('statusConnecting'),
    offline: tc('statusOffline'),
  }[status]
  const symbol = { live: '●', connecting: '◌', offline: '✕' }[status]
  return h(
    'span',
    { class: `badge connection badge-${status}`, role: 'status' },
    h('span', { 'aria-hidden': 'true' }, `${symbol} `),
    h('span', { class: 'visually-hidden' }, `${tc('connectionLabel')}: `),
    text,
  )
}

const te = translator<ErrorCode>(errorMessages)
const tf = translator<string>(fieldNames)

/** The field a `validation_failed` error names, as the forms label it ('body.phone' → 'Teléfono'). */
function fieldLabel(details: unknown): string | null {
  const first = Array.isArray(details) ? (details[0] as { field?: unknown } | undefined) : undefined
  if (typeof first?.field !== 'string') return null
  // `holder.email` is labelled by `email`; `instructions.<motion id>` by `instructions`. A field with no
  // label is not named at all rather than shown as its code.
  const path = first.field.replace(/^(body|query|params)\./, '').split('.')
  const name = [path.at(-1), path[0]].find((part) => part !== undefined && Object.hasOwn(fieldNames.es, part))
  return name ? tf(name) : null
}

/** A sentence for an error from the API, in the reader's language, saying what to do. */
export function errorText(error: unknown): string {
  if (!(error instanceof ApiError)) return tc('errorGeneric', { code: 'client' })
  if (error.status === 0) return tc('errorNetwork')
  if (error.status === 429) return tc('errorThrottled', { seconds: error.retryAfterSeconds ?? 60 })
  if (error.code === 'origin_mismatch') return tc('errorOriginMismatch')
  if (error.code === 'validation_failed') {
    const field = fieldLabel(error.details)
    // Never the server's English text inside a Spanish sentence.
    return field ? te('validation_failed', { field }) : tc('errorValidation')
  }
  if (error.code in errorMessages.es) {
    const unknown = (error.details as { unknown?: unknown } | undefined)?.unknown
    return te(error.code as ErrorCode, { units: Array.isArray(unknown) ? unknown.join(', ') : '' })
  }
  if (error.status === 403) return tc('errorForbidden')
  if (error.status === 404) return tc('errorNotFound')
  return tc('errorGeneric', { code: error.code })
}

/** An alert box for errors (role=alert is read at once). */
export function errorBox(message: string): HTMLElement {
  return h(
    'p',
    { class: 'notice notice-error', role: 'alert' },
    h('span', { 'aria-hidden': 'true' }, '⚠ '),
    message,
  )
}

export function okBox(message: string): HTMLElement {
  return h('p', { class: 'notice notice-ok' }, h('span', { 'aria-hidden': 'true' }, '✓ '), message)
}

export function assemblyStatusText(status: string): string {
  const key: Record<string, CommonKey> = {
    draft: 'statusDraft',
    convened: 'statusConvened',
    in_progress: 'statusInProgress',
    suspended: 'statusSuspended',
    closed: 'statusClosed',
    cancelled: 'statusCancelled',
  }
  return key[status] ? tc(key[status]) : status
}

export function modalityText(modality: string): string {
  const key: Record<string, CommonKey> = {
    in_person: 'modalityInPerson',
    remote: 'modalityRemote',
    mixed: 'modalityMixed',
  }
  return key[modality] ? tc(key[modality]) : modality
}

export function motionStatusText(status: string): string {
  const key: Record<string, CommonKey> = { draft: 'motionDraft', open: 'motionOpen', closed: 'motionClosed' }
  return key[status] ? tc(key[status]) : status
}

export function outcomeText(outcome: string): string {
  const key: Record<string, CommonKey> = {
    approved: 'outcomeApproved',
    rejected: 'outcomeRejected',
    tie: 'outcomeTie',
    no_votes: 'outcomeNoVotes',
    elected: 'outcomeElected',
  }
  return key[outcome] ? tc(key[outcome]) : outcome
}

/** "unidad 101" or "unidades 103, 104". */
export function unitList(numbers: string[]): string {
  // In natural order (9, 10, 101), whatever order the server answered in: a clerk reads them aloud.
  const sorted = [...numbers].sort(unitOrder.compare)
  return tc(numbers.length === 1 ? 'unitListOne' : 'unitListMany', { list: sorted.join(', ') })
}

const unitOrder = new Intl.Collator('es', { numeric: true, sensitivity: 'base' })

/** "1 unidad" or "4 unidades". */
export function unitCount(n: number, format: (n: number) => string = String): string {
  return n === 1 ? tc('unitCountOne') : tc('unitCountMany', { n: format(n) })
}

export function callText(call: string): string {
  return call === 'second' ? tc('callSecond') : tc('callFirst')
}
