import { normalizeReceiptCode } from '../motions/receipts.ts'
import type { Action } from './actions.ts'
import { normalizeLinkCode } from './link-codes.ts'
import type { ChatState, Lang } from './types.ts'

/** What a person asked for, whatever the channel. */
export type Intent =
  | { kind: 'about' }
  | { kind: 'help' }
  | { kind: 'how_to_vote' }
  | { kind: 'assemblies' }
  | { kind: 'agenda' }
  | { kind: 'quorum' }
  | { kind: 'proxies' }
  | { kind: 'vote' }
  | { kind: 'checkin' }
  | { kind: 'leave' }
  | { kind: 'receipt'; code: string | null }
  | { kind: 'link_code'; code: string }
  | { kind: 'link_email'; email: string }
  | { kind: 'link_otp'; code: string }
  | { kind: 'unlink' }
  | { kind: 'mute' }
  | { kind: 'unmute' }
  | { kind: 'language'; language: Lang }
  | { kind: 'action'; action: Action }
  | { kind: 'unknown'; text: string }

/** Intents anyone may ask for; every other one needs a linked chat (or a signed-in web user). */
export const PUBLIC_INTENTS: ReadonlySet<Intent['kind']> = new Set([
  'about',
  'help',
  'how_to_vote',
  'link_code',
  'link_email',
  'link_otp',
  'language',
  'unknown',
])

const EMAIL = /[^\s@<>]+@[^\s@<>]+\.[a-z]{2,}/i

/** Lower case without accents, so "Quórum" and "quorum" are the same word. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim()
}

/** Commands in both languages (Telegram commands, or a leading slash typed anywhere). */
const COMMANDS: Record<string, (argument: string, state: ChatState) => Intent> = {
  start: (argument) => linkOrHelp(argument),
  vincular: (argument) => linkOrHelp(argument),
  link: (argument) => linkOrHelp(argument),
  email: (argument) => emailOrHelp(argument),
  correo: (argument) => emailOrHelp(argument),
  codigo: (argument) => ({ kind: 'link_otp', code: argument.replace(/\s/g, '') }),
  code: (argument) => ({ kind: 'link_otp', code: argument.replace(/\s/g, '') }),
  desvincular: () => ({ kind: 'unlink' }),
  unlink: () => ({ kind: 'unlink' }),
  silenciar: () => ({ kind: 'mute' }),
  mute: () => ({ kind: 'mute' }),
  activar: () => ({ kind: 'unmute' }),
  unmute: () => ({ kind: 'unmute' }),
  asambleas: () => ({ kind: 'assemblies' }),
  assemblies: () => ({ kind: 'assemblies' }),
  agenda: () => ({ kind: 'agenda' }),
  orden: () => ({ kind: 'agenda' }),
  quorum: () => ({ kind: 'quorum' }),
  votar: () => ({ kind: 'vote' }),
  vote: () => ({ kind: 'vote' }),
  comovotar: () => ({ kind: 'how_to_vote' }),
  como_votar: () => ({ kind: 'how_to_vote' }),
  howtovote: () => ({ kind: 'how_to_vote' }),
  poderes: () => ({ kind: 'proxies' }),
  proxies: () => ({ kind: 'proxies' }),
  salir: () => ({ kind: 'leave' }),
  leave: () => ({ kind: 'leave' }),
  asistencia: () => ({ kind: 'checkin' }),
  checkin: () => ({ kind: 'checkin' }),
  recibo: (argument) => ({ kind: 'receipt', code: argument || null }),
  receipt: (argument) => ({ kind: 'receipt', code: argument || null }),
  ayuda: () => ({ kind: 'help' }),
  help: () => ({ kind: 'help' }),
  acerca: () => ({ kind: 'about' }),
  about: () => ({ kind: 'about' }),
  idioma: (argument) => languageIntent(argument),
  language: (argument) => languageIntent(argument),
  english: () => ({ kind: 'language', language: 'en' }),
  espanol: () => ({ kind: 'language', language: 'es' }),
}

function linkOrHelp(argument: string): Intent {
  const code = normalizeLinkCode(argument)
  return code ? { kind: 'link_code', code } : { kind: 'help' }
}

function emailOrHelp(argument: string): Intent {
  const email = EMAIL.exec(argument)?.[0]
  return email ? { kind: 'link_email', email } : { kind: 'help' }
}

function languageIntent(argument: string): Intent {
  const folded = fold(argument)
  if (/^(en|english|ingles)/.test(folded)) return { kind: 'language', language: 'en' }
  if (/^(es|espanol|spanish)/.test(folded)) return { kind: 'language', language: 'es' }
  return { kind: 'help' }
}

/** Keywords of free text, most specific first ("cómo votar" before "votar"). */
const KEYWORDS: [RegExp, (state: ChatState) => Intent][] = [
  [/\b(como (se )?vot|how (do i |to )?vote)/, () => ({ kind: 'how_to_vote' })],
  [/\b(salir|me retiro|leave the (meeting|assembly))/, () => ({ kind: 'leave' })],
  [/\b(desvincul|unlink)/, () => ({ kind: 'unlink' })],
  [/\b(silenci|mute\b|no (me )?avis)/, () => ({ kind: 'mute' })],
  [/\b(activar|unmute)/, () => ({ kind: 'unmute' })],
  [/\b(recibo|receipt)/, () => ({ kind: 'receipt', code: null })],
  [/\b(vot[aeo]|vote)/, () => ({ kind: 'vote' })],
  [/\b(quorum)/, () => ({ kind: 'quorum' })],
  [/\b(agenda|orden del dia)/, () => ({ kind: 'agenda' })],
  [/\b(poder(es)?|proxy|proxies|apoderad)/, () => ({ kind: 'proxies' })],
  [/\b(asistencia|check ?in|presente)/, () => ({ kind: 'checkin' })],
  [/\b(asamblea|assembl|reunion|meeting)/, () => ({ kind: 'assemblies' })],
  [/\b(que es|what is|acerca|about)/, () => ({ kind: 'about' })],
  [/\b(english|in english)\b/, () => ({ kind: 'language', language: 'en' })],
  [/\b(espanol|spanish)\b/, () => ({ kind: 'language', language: 'es' })],
  [/^(hola|buenas|hi|hello|menu|ayuda|help|inicio|start)\b/, () => ({ kind: 'help' })],
]

/**
 * The intent of a text message: a command (`/votar`, `/start CODE`), a code (the 6 digits of an
 * email code being awaited, a link code, a receipt code), an email address, or keywords in Spanish
 * or English. Anything else is `unknown` (the web chat may pass it to the language model).
 */
export function parseText(text: string, state: ChatState = {}): Intent {
  const trimmed = text.trim().slice(0, 1000)
  const command = /^\/([A-Za-z_]+)(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(trimmed)
  if (command) {
    const handler = COMMANDS[fold(command[1]!)]
    return handler ? handler((command[2] ?? '').trim(), state) : { kind: 'unknown', text: trimmed }
  }
  const folded = fold(trimmed)
  if (state.otp && /^\d{3}\s?\d{3}$/.test(folded)) return { kind: 'link_otp', code: folded.replace(/\s/, '') }
  const words = folded.split(/\s+/)
  const [first = '', ...rest] = words
  const argument = trimmed.split(/\s+/).slice(1).join(' ')
  if (
    rest.length > 0 &&
    ['vincular', 'link', 'recibo', 'receipt', 'email', 'correo', 'codigo', 'code'].includes(first)
  ) {
    return COMMANDS[first]!(argument, state)
  }
  const email = EMAIL.exec(trimmed)?.[0]
  if (email) return { kind: 'link_email', email }
  if (normalizeReceiptCode(trimmed) && /\d/.test(trimmed)) return { kind: 'receipt', code: trimmed }
  const linkCode = normalizeLinkCode(trimmed)
  if (linkCode && /\d/.test(trimmed) && words.length === 1) return { kind: 'link_code', code: linkCode }
  for (const [pattern, intent] of KEYWORDS) if (pattern.test(folded)) return intent(state)
  return { kind: 'unknown', text: trimmed }
}
