import type { OtpRequestResult } from '../../../core/auth/schemas.ts'
import { common } from '../i18n/common.ts'
import { signInMessages } from '../i18n/sign-in.ts'
import { ApiError, get, peekSession, post } from '../lib/api.ts'
import { announce, type Child, field, focusOn, h, param, replace } from '../lib/dom.ts'
import { textField } from '../lib/forms.ts'
import { currentLang, translator } from '../lib/i18n.ts'
import { errorBox, errorText, okBox, startPage } from '../lib/layout.ts'
import {
  browserSupportsWebAuthnAutofill,
  type PasskeyAvailability,
  passkeyAvailability,
  passkeysAvailable,
  registerPasskey,
  signInWithPasskey,
} from '../lib/passkeys.ts'

const t = translator<keyof typeof signInMessages.es>(common, signInMessages)
const OFFER_DISMISSED = 'assembly.passkeyOfferDismissed'

type Step = 'email' | 'code' | 'offer'
const state = {
  step: 'email' as Step,
  email: '',
  attempt: '',
  minutes: 5,
  message: null as HTMLElement | null,
  busy: false,
}

/** Where to go after signing in: a path on this site only (never another origin). */
function nextUrl(): string {
  const next = param('next')
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/'
}

const page = startPage({ title: () => t('title'), draw })

function show(step: Step, message: HTMLElement | null = null) {
  state.step = step
  state.message = message
  page.redraw()
  focusOn(document.querySelector<HTMLElement>('main h1'))
}

function draw(main: HTMLElement): void {
  if (state.step === 'email') replace(main, emailStep())
  else if (state.step === 'code') replace(main, codeStep())
  else replace(main, offerStep())
}

function emailStep(): Child[] {
  const form = h(
    'form',
    { class: 'card', novalidate: true, onsubmit: requestCode },
    textField({
      id: 'email',
      name: 'email',
      label: t('email'),
      hint: t('emailHint'),
      type: 'email',
      value: state.email,
      required: true,
      props: { autocomplete: 'username webauthn', inputmode: 'email' },
    }),
    h(
      'button',
      { type: 'submit', class: 'primary big', disabled: state.busy },
      state.busy ? t('sending') : t('sendCode'),
    ),
  )
  const availability = passkeyAvailability()
  const passkeys =
    availability === 'available'
      ? h(
          'section',
          { class: 'card', 'aria-labelledby': 'passkey-title' },
          h('h2', { id: 'passkey-title' }, t('orPasskey')),
          h('p', { class: 'muted' }, t('passkeyHint')),
          h(
            'button',
            { type: 'button', class: 'big', onclick: () => void passkeySignIn(false) },
            t('usePasskey'),
          ),
        )
      : h(
          'section',
          { class: 'card', 'aria-labelledby': 'passkey-title' },
          h('h2', { id: 'passkey-title' }, t('passkeysUnavailableTitle')),
          ...passkeysUnavailable(availability),
        )
  return [h('h1', null, t('title')), h('p', null, t('intro')), state.message, form, passkeys, deskCodeForm()]
}

/** A one-time code from the check-in desk (typed, or arriving in the link of its QR). */
function deskCodeForm(): HTMLElement {
  return h(
    'details',
    { class: 'card', open: Boolean(param('desk')) },
    h('summary', null, t('deskTitle')),
    h(
      'form',
      { novalidate: true, onsubmit: submitDeskCode, class: 'stack' },
      textField({
        id: 'desk-code',
        name: 'code',
        label: t('deskLabel'),
        hint: t('deskHint'),
        value: param('desk') ?? '',
        props: { autocomplete: 'one-time-code', autocapitalize: 'characters', spellcheck: 'false' },
      }),
      h('button', { type: 'submit', class: 'big', disabled: state.busy }, t('deskSubmit')),
    ),
  )
}

async function submitDeskCode(event: Event): Promise<void> {
  event.preventDefault()
  await signInWithDeskCode(field(event.target as HTMLFormElement, 'code'))
}

async function signInWithDeskCode(raw: string): Promise<void> {
  const code = raw.toUpperCase().replace(/[\s-]/g, '')
  if (!/^[0-9A-Z]{10}$/.test(code)) {
    show('email', errorBox(t('deskFormat')))
    return
  }
  state.busy = true
  page.redraw()
  try {
    await post('/auth/desk-code', { code }, { allowAnonymous: true })
    state.busy = false
    announce(t('signedIn'))
    location.assign(nextUrl())
  } catch (error) {
    state.busy = false
    if (isLimited(error)) {
      show(
        'email',
        limitedBox(error, () => show('email')),
      )
      return
    }
    show(
      'email',
      errorBox(
        error instanceof ApiError && error.code === 'invalid_code' ? t('deskWrong') : errorText(error),
      ),
    )
  }
}

/** Why passkeys cannot work at this address, and on this computer where they would. */
function passkeysUnavailable(availability: PasskeyAvailability): Child[] {
  if (availability === 'unsupported') return [h('p', { class: 'muted' }, t('passkeyUnsupported'))]
  if (availability === 'insecure') return [h('p', { class: 'muted' }, t('passkeysInsecure'))]
  const host = location.hostname
  const local = ['127.0.0.1', '[::1]'].includes(host)
  const url = `${location.protocol}//localhost${location.port ? `:${location.port}` : ''}`
  return [
    h('p', { class: 'muted' }, t('passkeysOnIpAddress', { host })),
    local ? h('p', { class: 'muted' }, t('passkeysUseLocalhost', { url })) : null,
  ]
}

function codeStep(): Child[] {
  return [
    h('h1', null, t('codeTitle')),
    h('p', null, t('codeSent', { email: state.email, minutes: state.minutes })),
    state.message,
    h(
      'form',
      { class: 'card', novalidate: true, onsubmit: verifyCode },
      textField({
        id: 'code',
        name: 'code',
        label: t('code'),
        hint: t('codeHint'),
        required: true,
        props: {
          class: 'code',
          inputmode: 'numeric',
          autocomplete: 'one-time-code',
          pattern: '[0-9]{6}',
          maxlength: 6,
          'aria-invalid': state.message ? 'true' : null,
        },
      }),
      h(
        'button',
        { type: 'submit', class: 'primary big', disabled: state.busy },
        state.busy ? t('verifying') : t('verify'),
      ),
    ),
    h(
      'p',
      { class: 'row' },
      h(
        'button',
        { type: 'button', class: 'link-button', onclick: () => void sendCode(state.email) },
        t('resend'),
      ),
      h('button', { type: 'button', class: 'link-button', onclick: () => show('email') }, t('otherEmail')),
    ),
  ]
}

function offerStep(): Child[] {
  return [
    h('h1', null, t('offerTitle')),
    state.message,
    h(
      'div',
      { class: 'card stack' },
      h('p', null, t('offerText')),
      h('button', { type: 'button', class: 'primary big', onclick: addPasskey }, t('offerCreate')),
      h('button', { type: 'button', class: 'big', onclick: skipOffer }, t('offerSkip')),
    ),
  ]
}

async function requestCode(event: Event): Promise<void> {
  event.preventDefault()
  const email = field(event.target as HTMLFormElement, 'email')
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    state.email = email
    show('email', errorBox(t('emailInvalid')))
    return
  }
  await sendCode(email)
}

async function sendCode(email: string): Promise<void> {
  state.email = email
  state.busy = true
  page.redraw()
  try {
    const result = await post<OtpRequestResult>(
      '/auth/otp/request',
      { email, language: currentLang() },
      { allowAnonymous: true },
    )
    state.attempt = result.attempt
    state.minutes = Math.round(result.expiresInSeconds / 60)
    state.busy = false
    show('code')
    announce(t('codeSent', { email, minutes: state.minutes }))
    document.getElementById('code')?.focus()
  } catch (error) {
    state.busy = false
    if (isLimited(error)) {
      show(
        state.step,
        limitedBox(error, () => void sendCode(email)),
      )
      return
    }
    show(
      state.step,
      errorBox(error instanceof ApiError && error.status === 422 ? t('emailInvalid') : errorText(error)),
    )
  }
}

let countdown: ReturnType<typeof setInterval> | null = null

/** "45 s" under a minute and a half, else whole minutes ("11 min"). */
const waitText = (seconds: number) => (seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`)

/**
 * A 429: how long to wait and a button to try again, enabled once the wait is over. Never retries
 * by itself (a page retrying in a loop keeps a whole room locked out).
 */
function limitedBox(error: ApiError, retry: () => void): HTMLElement {
  let seconds = Math.max(1, error.retryAfterSeconds ?? 60)
  const key =
    error.code === 'too_many_codes'
      ? 'limitedCodes'
      : /wrong codes/.test(error.message)
        ? 'limitedGuesses'
        : 'limited'
  const button = h(
    'button',
    { type: 'button', class: 'big', disabled: true, onclick: () => retry() },
    t('retryIn', { wait: waitText(seconds) }),
  ) as HTMLButtonElement
  if (countdown) clearInterval(countdown)
  countdown = setInterval(() => {
    seconds -= 1
    if (seconds > 0) {
      button.textContent = t('retryIn', { wait: waitText(seconds) })
      return
    }
    if (countdown) clearInterval(countdown)
    countdown = null
    button.disabled = false
    button.textContent = t('retry')
  }, 1000)
  return h(
    'div',
    { class: 'stack', id: 'rate-limited' },
    errorBox(t(key, { wait: waitText(seconds) })),
    button,
  )
}

const isLimited = (error: unknown): error is ApiError => error instanceof ApiError && error.status === 429

function codeError(error: unknown): string {
  if (!(error instanceof ApiError)) return errorText(error)
  if (error.code === 'invalid_code') {
    const left = (error.details as { remainingAttempts?: number } | undefined)?.remainingAttempts
    return left === undefined ? t('codeWrong') : t('codeWrongLeft', { n: left })
  }
  if (error.code === 'code_expired') return t('codeExpired')
  if (error.code === 'too_many_attempts') return t('codeTooMany')
  if (error.status === 422) return t('codeFormat')
  return errorText(error)
}

async function verifyCode(event: Event): Promise<void> {
  event.preventDefault()
  const code = field(event.target as HTMLFormElement, 'code').replace(/\s/g, '')
  if (!/^[0-9]{6}$/.test(code)) {
    show('code', errorBox(t('codeFormat')))
    document.getElementById('code')?.focus()
    return
  }
  state.busy = true
  page.redraw()
  try {
    await post(
      '/auth/otp/verify',
      { email: state.email, attempt: state.attempt, code },
      { allowAnonymous: true },
    )
    state.busy = false
    announce(t('signedIn'))
    await afterSignIn()
  } catch (error) {
    state.busy = false
    if (isLimited(error)) {
      show(
        'code',
        limitedBox(error, () => show('code')),
      )
      return
    }
    show('code', errorBox(codeError(error)))
    document.getElementById('code')?.focus()
  }
}

async function passkeySignIn(autofill: boolean): Promise<void> {
  try {
    await signInWithPasskey(autofill)
    announce(t('signedIn'))
    location.assign(nextUrl())
  } catch (error) {
    if (autofill && !(error instanceof ApiError)) return // the autofill request was replaced or aborted
    if (isLimited(error)) {
      // No autofill restart here: that loop is what kept a room locked out.
      show(
        'email',
        limitedBox(error, () => void passkeySignIn(false)),
      )
      return
    }
    const message =
      error instanceof ApiError
        ? error.code === 'unknown_credential'
          ? t('passkeyUnknown')
          : error.code === 'challenge_expired'
            ? t('passkeyExpired')
            : errorText(error)
        : t('passkeyCancelled')
    show('email', errorBox(message))
    void startAutofill()
  }
}

/** After a code sign-in: offer a passkey once per device when the account has none. */
async function afterSignIn(): Promise<void> {
  let dismissed = false
  try {
    dismissed = localStorage.getItem(OFFER_DISMISSED) === '1'
  } catch {}
  if (!dismissed && passkeysAvailable()) {
    const mine = await get<{ passkeys: unknown[] }>('/auth/passkeys').catch(() => null)
    if (mine && mine.passkeys.length === 0) {
      show('offer', okBox(t('signedIn')))
      return
    }
  }
  location.assign(nextUrl())
}

async function addPasskey(): Promise<void> {
  try {
    await registerPasskey()
    announce(t('passkeyCreated'))
    replace(
      document.getElementById('main')!,
      h('h1', { tabindex: '-1' }, t('offerTitle')),
      okBox(t('passkeyCreated')),
      h('a', { class: 'button primary big', href: nextUrl(), id: 'continue' }, t('continue')),
    )
    document.getElementById('continue')?.focus()
  } catch {
    show('offer', errorBox(t('passkeyCreateFailed')))
  }
}

function skipOffer(): void {
  try {
    localStorage.setItem(OFFER_DISMISSED, '1')
  } catch {}
  location.assign(nextUrl())
}

async function startAutofill(): Promise<void> {
  if (state.step === 'email' && passkeysAvailable() && (await browserSupportsWebAuthnAutofill()))
    void passkeySignIn(true)
}

// Already signed in (e.g. an old bookmark): go straight on. A desk QR link signs in with its code
// once (a person action: they scanned it); a refusal is shown, never retried.
const startSignIn = () => {
  const desk = param('desk')
  if (desk) void signInWithDeskCode(desk)
  else void startAutofill()
}
peekSession()
  .then((session) => (session ? location.replace(nextUrl()) : startSignIn()))
  .catch(startSignIn)
