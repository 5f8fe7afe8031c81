import { and, asc, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { votes } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { randomBytes, sha256Hex } from '../auth/crypto.ts'
import { AppError } from '../errors.ts'
import { readMotion } from './motions.ts'
import { findMotionResult } from './results.ts'

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

export interface ReceiptList {
  motionId: string
  status: 'draft' | 'open' | 'closed'
  /** True once the list is the one frozen into the motion's result snapshot. */
  final: boolean
  /** SHA-256 hex receipts, sorted; never linked to units or choices. */
  receipts: string[]
}

/**
 * The public receipt list of a motion: while open, the receipts of the current votes; once closed,
 * the list frozen into the result snapshot (covered by the hash chain). Errors: 404 not_found.
 */
export async function listReceipts(
  db: Database,
  input: { organizationId: string; motionId: string },
): Promise<ReceiptList> {
  const { organizationId } = input
  return withTenant(db, organizationId, async (tx) => {
    const { motion } = await readMotion(tx, input)
    const result = await findMotionResult(tx, input)
    if (result)
      return { motionId: motion.id, status: motion.status, final: true, receipts: result.totals.receipts }
    const rows = await tx
      .select({ receipt: votes.receipt })
      .from(votes)
      .where(and(eq(votes.motionId, motion.id), eq(votes.organizationId, organizationId)))
      .orderBy(asc(votes.receipt))
    return {
      motionId: motion.id,
      status: motion.status,
      final: false,
      receipts: rows.map((row) => row.receipt),
    }
  })
}

export interface ReceiptCheck {
  receiptHash: string
  /** The receipt belongs to the current vote of some unit (a re-vote replaces the earlier receipt). */
  found: boolean
  motionStatus: 'draft' | 'open' | 'closed'
  /** Whether the receipt is in the frozen result; null while the motion has no result. */
  countedInResult: boolean | null
}

/**
 * Lets a voter confirm their vote was counted from the code they were shown. Reveals nothing about
 * the choice. Errors: 422 invalid_receipt_code, 404 not_found.
 */
export async function verifyReceipt(
  db: Database,
  input: { organizationId: string; motionId: string; code: string },
): Promise<ReceiptCheck> {
  const { organizationId, code } = input
  if (!normalizeReceiptCode(code)) {
    throw new AppError(422, 'invalid_receipt_code', 'A receipt code has 10 letters and digits')
  }
  return withTenant(db, organizationId, async (tx) => {
    const { motion } = await readMotion(tx, input)
    const result = await findMotionResult(tx, input)
    const receiptHash = hashReceipt(motion.id, code)
    const [row] = await tx
      .select({ unitId: votes.unitId })
      .from(votes)
      .where(
        and(
          eq(votes.motionId, motion.id),
          eq(votes.organizationId, organizationId),
          eq(votes.receipt, receiptHash),
        ),
      )
    return {
      receiptHash,
      found: row !== undefined,
      motionStatus: motion.status,
      countedInResult: result ? result.totals.receipts.includes(receiptHash) : null,
    }
  })
}
