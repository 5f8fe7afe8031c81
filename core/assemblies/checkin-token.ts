import { createHmac, timingSafeEqual } from 'node:crypto'
import { isUuid } from '../ph/validation.ts'

/** The secret that signs check-in codes: at least 32 bytes (text is read as UTF-8). */
export type CheckInKey = string | Uint8Array

export interface CheckInClaims {
  assemblyId: string
  personId: string
}

// Separates these MACs from any other use of the same key.
const CONTEXT = Buffer.from('assembly-check-in:v1\u0000')
const MAC_BYTES = 16
const PAYLOAD_BYTES = 32

/**
 * A short code for the desk's scanner (e.g. in a QR sent to the attendee) naming one person for one
 * assembly: base64url of the two UUIDs and a 128-bit HMAC-SHA256 tag, 64 characters. It carries no
 * expiry: it is only accepted while its assembly takes attendance.
 */
export function createCheckInToken(key: CheckInKey, claims: CheckInClaims): string {
  if (!isUuid(claims.assemblyId) || !isUuid(claims.personId)) throw new Error('Check-in claims must be UUIDs')
  const payload = Buffer.concat([uuidBytes(claims.assemblyId), uuidBytes(claims.personId)])
  return Buffer.concat([payload, tag(key, payload)]).toString('base64url')
}

/** The claims of a genuine code, or null for anything forged, altered or malformed. */
export function verifyCheckInToken(key: CheckInKey, token: string): CheckInClaims | null {
  if (!/^[A-Za-z0-9_-]{64}$/.test(token)) return null
  const bytes = Buffer.from(token, 'base64url')
  if (bytes.length !== PAYLOAD_BYTES + MAC_BYTES) return null
  const payload = bytes.subarray(0, PAYLOAD_BYTES)
  if (!timingSafeEqual(bytes.subarray(PAYLOAD_BYTES), tag(key, payload))) return null
  return { assemblyId: uuidText(payload.subarray(0, 16)), personId: uuidText(payload.subarray(16)) }
}

function tag(key: CheckInKey, payload: Uint8Array): Buffer {
  const secret = typeof key === 'string' ? Buffer.from(key, 'utf8') : Buffer.from(key)
  if (secret.length < 32) throw new Error('The check-in key must be at least 32 bytes')
  return createHmac('sha256', secret).update(CONTEXT).update(payload).digest().subarray(0, MAC_BYTES)
}

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replaceAll('-', ''), 'hex')
}

function uuidText(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
