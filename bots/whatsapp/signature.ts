import { equalBytes, hmacSha256 } from '../../core/auth/crypto.ts'

const encoder = new TextEncoder()

/** `sha256=<hex>`: what Meta sends in X-Hub-Signature-256 for this body and app secret. */
export function signBody(appSecret: string, body: Uint8Array | string): string {
  return `sha256=${Buffer.from(hmacSha256(encoder.encode(appSecret), body)).toString('hex')}`
}

/**
 * Whether X-Hub-Signature-256 is the HMAC-SHA256 of the raw body (exactly the bytes received) under
 * the app secret. Compared in constant time.
 */
export function isValidSignature(appSecret: string, body: Uint8Array, header: string | null): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/i.test(header.trim())) return false
  return equalBytes(encoder.encode(header.trim().toLowerCase()), encoder.encode(signBody(appSecret, body)))
}

/** A string compared in constant time (the verify token of the subscription handshake). */
export function equalSecrets(a: string, b: string): boolean {
  return equalBytes(encoder.encode(a), encoder.encode(b))
}
