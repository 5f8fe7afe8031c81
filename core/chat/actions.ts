/*
 * Button data: what a button press sends back (Telegram callback_data ≤ 64 bytes, WhatsApp reply id,
 * web chat action). Compact on purpose, and never trusted: every press is authorized again from the
 * chat's current link and the live voting facts (see voting.ts).
 */

/** Intents a menu or notification button may ask for by name. */
export const MENU_INTENTS = [
  'assemblies',
  'agenda',
  'quorum',
  'vote',
  'how_to_vote',
  'proxies',
  'checkin',
  'help',
] as const
export type MenuIntent = (typeof MENU_INTENTS)[number]

export type Action =
  | { kind: 'pick'; motionId: string }
  | { kind: 'choose'; motionId: string; option: number }
  | { kind: 'confirm'; token: string }
  | { kind: 'cancel'; token: string }
  | { kind: 'toggle'; token: string; option: number }
  | { kind: 'page'; token: string; page: number }
  | { kind: 'submit'; token: string }
  | { kind: 'checkin'; assemblyId: string }
  | { kind: 'leave'; assemblyId: string }
  | { kind: 'menu'; intent: MenuIntent }

const UUID = /^([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i
const COMPACT = /^[A-Za-z0-9_-]{22}$/
const TOKEN = /^[a-z0-9]{8,32}$/

/** A UUID in 22 base64url characters instead of 36. */
export function compactId(uuid: string): string {
  if (!UUID.test(uuid)) throw new Error(`not a uuid: ${uuid}`)
  return Buffer.from(uuid.replaceAll('-', ''), 'hex').toString('base64url')
}

/** The UUID of a compact id, or null when it is not one. */
export function expandId(compact: string): string | null {
  if (!COMPACT.test(compact)) return null
  const hex = Buffer.from(compact, 'base64url').toString('hex')
  if (hex.length !== 32) return null
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export function encodeAction(action: Action): string {
  switch (action.kind) {
    case 'pick':
      return `m|${compactId(action.motionId)}`
    case 'choose':
      return `v|${compactId(action.motionId)}|${action.option}`
    case 'confirm':
      return `c|${action.token}`
    case 'cancel':
      return `x|${action.token}`
    case 'toggle':
      return `t|${action.token}|${action.option}`
    case 'page':
      return `p|${action.token}|${action.page}`
    case 'submit':
      return `s|${action.token}`
    case 'checkin':
      return `k|${compactId(action.assemblyId)}`
    case 'leave':
      return `l|${compactId(action.assemblyId)}`
    case 'menu':
      return `i|${action.intent}`
  }
}

/** The action in button data, or null for anything malformed (treated as an unknown message). */
export function decodeAction(data: string): Action | null {
  const [kind, first, second, ...rest] = data.split('|')
  if (rest.length > 0 || first === undefined) return null
  if (kind === 'm' || kind === 'k' || kind === 'l' || kind === 'v') {
    const id = expandId(first)
    if (!id) return null
    if (kind === 'm') return second === undefined ? { kind: 'pick', motionId: id } : null
    if (kind === 'k') return second === undefined ? { kind: 'checkin', assemblyId: id } : null
    if (kind === 'l') return second === undefined ? { kind: 'leave', assemblyId: id } : null
    if (second === undefined || !/^\d{1,2}$/.test(second)) return null
    return { kind: 'choose', motionId: id, option: Number(second) }
  }
  if ((kind === 't' || kind === 'p') && TOKEN.test(first)) {
    if (second === undefined || !/^\d{1,2}$/.test(second)) return null
    return kind === 't'
      ? { kind: 'toggle', token: first, option: Number(second) }
      : { kind: 'page', token: first, page: Number(second) }
  }
  if (second !== undefined) return null
  if (kind === 's' && TOKEN.test(first)) return { kind: 'submit', token: first }
  if ((kind === 'c' || kind === 'x') && TOKEN.test(first)) {
    return kind === 'c' ? { kind: 'confirm', token: first } : { kind: 'cancel', token: first }
  }
  if (kind === 'i' && (MENU_INTENTS as readonly string[]).includes(first)) {
    return { kind: 'menu', intent: first as MenuIntent }
  }
  return null
}
