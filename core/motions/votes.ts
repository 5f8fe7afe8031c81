import { and, asc, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { votes } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { formatCoefficient } from '../decimal.ts'
import { AppError } from '../errors.ts'
import { replaceVote } from '../votes/writer.ts'
import { acceptAllOrThrow, voterOf } from './ballot-request.ts'
import { type BallotInput, evaluateBallots, motionRefusal, type VoterRole } from './eligibility.ts'
import { lockMotion, readMotion } from './motions.ts'
import { createReceiptCode, hashReceipt, normalizeReceiptCode } from './receipt-codes.ts'
import { findMotionResult } from './results.ts'
import type { Actor, VoteChannel } from './types.ts'
import { loadUnitVotingFacts } from './voting-facts.ts'

export { MAX_BALLOTS_PER_REQUEST } from './ballot-request.ts'

export interface CastVotesInput {
  organizationId: string
  motionId: string
  ballots: readonly BallotInput[]
  actor: Actor
  channel: VoteChannel
  /** Defaults to the current time; tests pin it to check proxy validity windows. */
  now?: Date
}

export interface AcceptedVote {
  unitId: string
  unitNumber: string
  role: VoterRole
  proxyId: string | null
  /** Shown to the voter once and never stored; only its hash is. */
  receiptCode: string
  receiptHash: string
  /** 1 for a first vote, +1 for every re-vote while the motion is open. */
  revision: number
}

/**
 * Casts one ballot per unit for the acting person (an owner, or a proxy holder voting several units with
 * possibly different choices). All or nothing: when any ballot is refused, nothing is stored and the
 * error lists every refused unit with its reason. A re-vote replaces the unit's previous vote.
 * Errors: 422 no_ballots / too_many_ballots, 403 voter_unknown (no person behind the actor),
 * 404 not_found, 409 motion_not_open / assembly_not_in_progress, and 403/409/422 ballots_rejected
 * with details.rejected = [{ unitId, code, message }] (codes in eligibility.ts; 403 when any refusal is
 * about the right to vote, else 409 when about state, else 422).
 */
export async function castVotes(
  db: Database,
  input: CastVotesInput,
): Promise<{ motionId: string; votes: AcceptedVote[] }> {
  const { organizationId, ballots, actor, channel } = input
  const personId = voterOf(ballots, actor)
  const now = input.now ?? new Date()

  return withTenant(db, organizationId, async (tx) => {
    // The lock is held to commit: closeMotion waits for this vote, or this vote sees the motion closed.
    const { motion, assemblyStatus } = await lockMotion(tx, input)
    const refusal = motionRefusal({ ...motion, assemblyStatus })
    if (refusal) throw new AppError(refusal.status, refusal.code, refusal.message)

    const units = await loadUnitVotingFacts(tx, {
      organizationId,
      assemblyId: motion.assemblyId,
      unitIds: ballots.map((ballot) => ballot.unitId),
    })
    const accepted = acceptAllOrThrow(
      evaluateBallots({
        motion: { ...motion, assemblyStatus },
        personId,
        ballots,
        units,
        now,
      }),
    )

    const receipts = accepted.map(() => createReceiptCode())
    const sequenceBase = now.getTime()
    const rows = accepted.map((ballot, index) => ({
      motionId: motion.id,
      unitId: ballot.unit.unitId,
      organizationId,
      optionKeys: ballot.optionKeys,
      weight: formatCoefficient(ballot.unit.coefficient),
      upToDate: ballot.unit.upToDate,
      channel,
      castByUserId: actor.userId,
      castByPersonId: personId,
      proxyId: ballot.proxyId,
      receipt: hashReceipt(motion.id, receipts[index]!),
      // Same shape as a Redis stream entry id (<ms>-<n>), the order key the batch writer of #5 uses.
      sequence: `${sequenceBase}-${index}`,
      castAt: now,
    }))
    const stored = await tx
      .insert(votes)
      .values(rows)
      .onConflictDoUpdate({
        target: [votes.motionId, votes.unitId],
        set: replaceVote,
      })
      .returning({ unitId: votes.unitId, revision: votes.revision })
    const revisionOf = new Map(stored.map((row) => [row.unitId, row.revision]))
    return {
      motionId: motion.id,
      votes: accepted.map((ballot, index) => ({
        unitId: ballot.unit.unitId,
        unitNumber: ballot.unit.number,
        role: ballot.role,
        proxyId: ballot.proxyId,
        receiptCode: receipts[index]!,
        receiptHash: rows[index]!.receipt,
        revision: revisionOf.get(ballot.unit.unitId) ?? 1,
      })),
    }
  })
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
