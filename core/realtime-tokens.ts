import { deriveKey, signValue, verifySigned } from './auth/crypto.ts'

/**
 * Signed, expiring tokens for the realtime process, which cannot rely on cookies across ports and
 * never talks to the browser before the upgrade:
 * - a ticket: a signed-in user's short-lived pass to open a WebSocket (issued by the functions process);
 * - a screen link: read-only access to one assembly's tally topic, for a projector that does not sign in.
 */

export interface Ticket {
  kind: 'ticket'
  userId: string
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

export function createTicket(
  secretKey: Uint8Array,
  userId: string,
  ttlMs = 60_000,
  now = Date.now(),
): string {
  return sign(secretKey, { kind: 'ticket', userId, exp: now + ttlMs })
}

export function verifyTicket(secretKey: Uint8Array, token: string, now = Date.now()): Ticket | null {
  return verify(secretKey, 'ticket', token, now)
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
