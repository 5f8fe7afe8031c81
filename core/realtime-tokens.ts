import { deriveKey, randomToken, signValue, verifySigned } from './auth/crypto.ts'
import { isSessionRevoked } from './auth/revocation.ts'
import type { Bus } from './bus/types.ts'

/**
 * Signed, expiring tokens for the realtime process, which cannot rely on cookies across ports and
 * never talks to the browser before the upgrade:
 * - a ticket: a signed-in user's short-lived, single-use pass to open a WebSocket (issued by the
 *   functions process); it dies with the session it was issued from;
 * - a screen link: read-only access to one assembly's tally topic, for a projector that does not sign in.
 */

export interface Ticket {
  kind: 'ticket'
  userId: string
  /** The session it was issued from: signing out ends the ticket and the sockets it opened. */
  sessionId: string
  /** Names the ticket's single-use record on the bus. */
  nonce: string
  exp: number
}

export interface ScreenGrant {
  kind: 'screen'
  organizationId: string
  assemblyId: string
  exp: number
}

type Grant = Ticket | ScreenGrant

function sign(secretKey: Uint8Array, grant: Grant): string {
  const payload = Buffer.from(JSON.stringify(grant)).toString('base64url')
  return signValue(deriveKey(secretKey, `realtime-${grant.kind}`), payload)
}

function verify<K extends Grant['kind']>(
  secretKey: Uint8Array,
  kind: K,
  token: string,
  now: number,
): Extract<Grant, { kind: K }> | null {
  if (token.length > 2048) return null
  const payload = verifySigned(deriveKey(secretKey, `realtime-${kind}`), token)
  if (!payload) return null
  try {
    const grant = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Grant
    if (grant.kind !== kind || typeof grant.exp !== 'number' || grant.exp <= now) return null
    return grant as Extract<Grant, { kind: K }>
  } catch {
    return null
  }
}

const ticketKey = (nonce: string) => `realtime:ticket:${nonce}`

/** Signs a ticket (without recording it: see issueTicket). */
export function createTicket(
  secretKey: Uint8Array,
  holder: { userId: string; sessionId: string; nonce?: string },
  ttlMs = 60_000,
  now = Date.now(),
): string {
  return sign(secretKey, {
    kind: 'ticket',
    userId: holder.userId,
    sessionId: holder.sessionId,
    nonce: holder.nonce ?? randomToken(),
    exp: now + ttlMs,
  })
}

/** Checks a ticket's signature and expiry only (no bus): see redeemTicket for the real check. */
export function verifyTicket(secretKey: Uint8Array, token: string, now = Date.now()): Ticket | null {
  const grant = verify(secretKey, 'ticket', token, now)
  return grant && typeof grant.nonce === 'string' && typeof grant.sessionId === 'string' ? grant : null
}

/** Issues a single-use ticket for a session: recorded on the bus until it is redeemed or expires. */
export async function issueTicket(
  bus: Bus,
  secretKey: Uint8Array,
  holder: { userId: string; sessionId: string },
  ttlMs = 60_000,
): Promise<string> {
  const nonce = randomToken()
  await bus.set(ticketKey(nonce), holder.sessionId, ttlMs)
  return createTicket(secretKey, { ...holder, nonce }, ttlMs)
}

/**
 * Redeems a ticket: valid signature, not expired, never used (taken from the bus in one atomic step,
 * so of several processes racing with one ticket only one wins), and its session not ended since.
 */
export async function redeemTicket(
  bus: Bus,
  secretKey: Uint8Array,
  token: string,
  now = Date.now(),
): Promise<Ticket | null> {
  const grant = verifyTicket(secretKey, token, now)
  if (!grant) return null
  const [recorded, revoked] = await Promise.all([
    bus.take(ticketKey(grant.nonce)),
    isSessionRevoked(bus, grant.sessionId),
  ])
  return recorded === grant.sessionId && !revoked ? grant : null
}

export function createScreenToken(
  secretKey: Uint8Array,
  grant: { organizationId: string; assemblyId: string },
  ttlMs = 24 * 3_600_000,
  now = Date.now(),
): string {
  return sign(secretKey, { kind: 'screen', ...grant, exp: now + ttlMs })
}

export function verifyScreenToken(
  secretKey: Uint8Array,
  token: string,
  now = Date.now(),
): ScreenGrant | null {
  return verify(secretKey, 'screen', token, now)
}
