import { randomBytes, sha256Hex } from '../auth/crypto.ts'

/*
 * Vote receipts: the voter is shown a random code once; the public list of the motion holds only
 * SHA-256(motionId + code), so finding one's hash on the list proves the vote was counted without
 * revealing the choice, and the list alone cannot be linked back to a unit.
 */

// Crockford base32: no I, L, O or U, so a code read aloud or copied by hand survives.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

/** Characters in a receipt code (50 random bits). */
export const RECEIPT_CODE_LENGTH = 10

/** A fresh receipt code from the CSPRNG, e.g. '7KQ2M-X9D4A' (the dash is cosmetic). */
export function createReceiptCode(): string {
  const bytes = randomBytes(RECEIPT_CODE_LENGTH)
  // 256 is a multiple of 32, so taking 5 bits of each byte keeps every character uniform.
  const chars = Array.from(bytes, (byte) => ALPHABET[byte & 31])
  return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`
}

/**
 * The canonical form of a code as typed by a voter: upper case, dashes and spaces dropped, and the
 * look-alikes Crockford defines (I/L → 1, O → 0). Null when it cannot be a receipt code.
 */
export function normalizeReceiptCode(code: string): string | null {
  const compact = code.toUpperCase().replace(/[\s-]/g, '').replace(/[IL]/g, '1').replace(/O/g, '0')
  if (compact.length !== RECEIPT_CODE_LENGTH) return null
  for (const char of compact) if (!ALPHABET.includes(char)) return null
  return compact
}

/** The public receipt: hex SHA-256 of the motion id followed by the normalized code. */
export function hashReceipt(motionId: string, code: string): string {
  const normalized = normalizeReceiptCode(code)
  if (!normalized) throw new Error('Not a receipt code')
  return sha256Hex(`${motionId}${normalized}`)
}
