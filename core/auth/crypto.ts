import { hmac } from '@oslojs/crypto/hmac'
import { SHA256, sha256 } from '@oslojs/crypto/sha2'
import { constantTimeEqual } from '@oslojs/crypto/subtle'
import {
  encodeBase32LowerCaseNoPadding,
  encodeBase64urlNoPadding,
  encodeHexLowerCase,
} from '@oslojs/encoding'

const encoder = new TextEncoder()

/** Random bytes from the platform CSPRNG. */
export function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length)
  crypto.getRandomValues(bytes)
  return bytes
}

/** A random token of `bytes` bytes (default 20 = 160 bits), lower-case base32 without padding. */
export function randomToken(bytes = 20): string {
  return encodeBase32LowerCaseNoPadding(randomBytes(bytes))
}

/** A uniformly random string of `digits` decimal digits (rejection sampling, no modulo bias). */
export function randomDigits(digits: number): string {
  let out = ''
  while (out.length < digits) {
    for (const byte of randomBytes(digits * 2)) {
      if (byte < 250 && out.length < digits) out += String(byte % 10)
    }
  }
  return out
}

export function sha256Bytes(value: string | Uint8Array): Uint8Array {
  return sha256(typeof value === 'string' ? encoder.encode(value) : value)
}

export function sha256Hex(value: string | Uint8Array): string {
  return encodeHexLowerCase(sha256Bytes(value))
}

export function hmacSha256(key: Uint8Array, message: string | Uint8Array): Uint8Array {
  return hmac(SHA256, key, typeof message === 'string' ? encoder.encode(message) : message)
}

/** A sub-key for one purpose, so one master secret never signs two kinds of thing. */
export function deriveKey(secret: Uint8Array, purpose: string): Uint8Array {
  return hmacSha256(secret, `assembly-2.0/${purpose}`)
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && constantTimeEqual(a, b)
}

/** `<payload>.<mac>` signed with the key, base64url; verify with `verifySigned`. */
export function signValue(key: Uint8Array, payload: string): string {
  return `${payload}.${encodeBase64urlNoPadding(hmacSha256(key, payload))}`
}

/** The payload of a `signValue` token when its MAC is valid, else null. */
export function verifySigned(key: Uint8Array, token: string): string | null {
  const dot = token.lastIndexOf('.')
  if (dot <= 0) return null
  const payload = token.slice(0, dot)
  const expected = encoder.encode(encodeBase64urlNoPadding(hmacSha256(key, payload)))
  return equalBytes(encoder.encode(token.slice(dot + 1)), expected) ? payload : null
}
