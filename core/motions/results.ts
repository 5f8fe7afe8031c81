import { and, eq, gte, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import {
  attendance,
  motions,
  organizations,
  quorumLog,
  resultSnapshots,
  units,
  votes,
} from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { isPresent } from '../assemblies/presence.ts'
import { appendAudit } from '../auth/audit.ts'
import { canonicalJson } from '../canonical-json.ts'
import { parseCoefficient } from '../decimal.ts'
import { AppError } from '../errors.ts'
import { isUuid } from '../ph/validation.ts'
import { appendResultSnapshot, hashedFieldsOf, hashSnapshot, type SnapshotRow } from './chain.ts'
import { lockMotion, readMotion } from './motions.ts'
import { buildResult, type CountedVote, type FrozenUnit, type ResultBody } from './result-model.ts'
import type { Actor, Motion } from './types.ts'

interface MotionScope {
  organizationId: string
  motionId: string
}

/** A stored result: the snapshot row with its jsonb columns typed. */
export interface MotionResult extends ResultBody {
  snapshotId: string
  assemblyId: string
  motionId: string
  sequence: number
  previousHash: string | null
  hash: string
  createdAt: Date
}

/**
 * Closes an open motion and stores its result from the committed votes, in one transaction holding the
 * motion's row lock. The vote service (core/votes/service.ts) first closes the motion's queue, so no
 * ballot is accepted after, and commits every accepted ballot before calling this. The electorate (every unit, its weight, up-to-date flag and presence) is frozen
 * into a snapshot chained to the PH's previous one. Errors: 404 not_found,
 * 409 motion_not_open (still a draft), 409 motion_already_closed.
 */
export async function closeMotion(
  db: Database,
  input: MotionScope & { actor: Actor },
): Promise<{ motion: Motion; result: MotionResult }> {
  const { organizationId } = input
  return withTenant(db, organizationId, async (tx) => {
    const { motion } = await lockMotion(tx, input)
    if (motion.status === 'draft') throw new AppError(409, 'motion_not_open', 'The motion was never opened')
    if (motion.status === 'closed')
      throw new AppError(409, 'motion_already_closed', 'The motion is already closed')
    const [closed] = await tx
      .update(motions)
      .set({ status: 'closed', closedAt: new Date() })
      .where(and(eq(motions.id, motion.id), eq(motions.organizationId, organizationId)))
      .returning()
    const closedMotion = closed!
    const body = await computeMotionResult(tx, closedMotion)
    if (await quorumLostWhileOpen(tx, closedMotion)) body.totals.quorumLostDuringVote = true
    const row = await appendResultSnapshot(tx, {
      organizationId,
      assemblyId: motion.assemblyId,
      motionId: motion.id,
      body,
    })
    await appendAudit(tx, {
      action: 'motion.closed',
      organizationId,
      actorUserId: input.actor.userId,
      subject: motion.id,
      data: { snapshotId: row.id, sequence: row.sequence, hash: row.hash, outcome: row.outcome },
    })
    return { motion: closedMotion, result: resultOf(row) }
  })
}

/** Whether a motion that needs quorum saw the quorum log say "not reached" while it was open. */
async function quorumLostWhileOpen(tx: Database, motion: Motion): Promise<boolean> {
  if (!motion.requiresQuorum || !motion.openedAt) return false
  const [lost] = await tx
    .select({ at: quorumLog.at })
    .from(quorumLog)
    .where(
      and(
        eq(quorumLog.organizationId, motion.organizationId),
        eq(quorumLog.assemblyId, motion.assemblyId),
        eq(quorumLog.reached, false),
        gte(quorumLog.at, motion.openedAt),
      ),
    )
    .limit(1)
  return lost !== undefined
}

/**
 * Computes the result of a closed motion from the tables, inside the caller's transaction: every unit
 * of the PH, presence from the open attendance rows, and the votes table. The high-throughput path
 * calls this after draining its queue.
 */
export async function computeMotionResult(tx: Database, motion: Motion): Promise<ResultBody> {
  if (!motion.closedAt) throw new Error('computeMotionResult needs a closed motion')
  const [unitRows, presentRows, voteRows] = await Promise.all([
    tx
      .select({
        id: units.id,
        number: units.number,
        coefficient: units.coefficient,
        upToDate: units.upToDate,
      })
      .from(units)
      .where(eq(units.organizationId, motion.organizationId)),
    tx
      .select({ unitId: attendance.unitId })
      .from(attendance)
      .where(
        and(
          eq(attendance.organizationId, motion.organizationId),
          eq(attendance.assemblyId, motion.assemblyId),
          isPresent,
        ),
      ),
    loadCountedVotes(tx, motion),
  ])
  const present = new Set(presentRows.map((row) => row.unitId))
  const frozen: FrozenUnit[] = unitRows.map((unit) => ({
    unitId: unit.id,
    number: unit.number,
    coefficient: parseCoefficient(unit.coefficient),
    upToDate: unit.upToDate,
    attending: present.has(unit.id),
  }))
  const [organization] = await tx
    .select({ language: organizations.language })
    .from(organizations)
    .where(eq(organizations.id, motion.organizationId))
  const language = organization?.language === 'en' ? 'en' : 'es'
  return buildResult(resultInputOf(motion, language), frozen, voteRows)
}

export interface RecountReport {
  /** True when the recount equals the stored result and the stored hash matches its content. */
  matches: boolean
  hashValid: boolean
  /** Parts of the result that differ: 'electorate', 'totals', 'majorityRule', 'outcome', 'explanation'. */
  differences: string[]
  stored: MotionResult
  recomputed: ResultBody
}

/**
 * Recomputes a closed motion's result from the votes table and compares it with the stored snapshot.
 * Presence at close is taken from the frozen electorate (attendance keeps changing after the close);
 * everything else (voters, weights, choices, receipts, totals, outcome) comes from the tables.
 * Errors: 404 not_found, 409 motion_not_closed.
 */
export async function recountMotion(db: Database, input: MotionScope): Promise<RecountReport> {
  const { organizationId } = input
  return withTenant(db, organizationId, async (tx) => {
    const { motion } = await readMotion(tx, input)
    const row = await findSnapshot(tx, organizationId, motion.id)
    if (motion.status !== 'closed' || !row)
      throw new AppError(409, 'motion_not_closed', 'The motion has no result yet')
    const stored = resultOf(row)
    const voteRows = await loadCountedVotes(tx, motion)
    const frozen: FrozenUnit[] = stored.electorate.map((unit) => ({
      unitId: unit.unitId,
      number: unit.number,
      coefficient: parseCoefficient(unit.coefficient),
      upToDate: unit.upToDate,
      attending: unit.attending,
    }))
    // A vote from a unit outside the frozen electorate cannot be tallied: that alone is a mismatch.
    const known = new Set(frozen.map((unit) => unit.unitId))
    const strangers = voteRows.filter((vote) => !known.has(vote.unitId))
    const recomputed = buildResult(
      resultInputOf(motion, stored.totals.language ?? 'en'),
      frozen,
      voteRows.filter((vote) => known.has(vote.unitId)),
    )
    // Frozen at close like presence: the quorum log is not part of the votes being recounted.
    if (stored.totals.quorumLostDuringVote) recomputed.totals.quorumLostDuringVote = true
    const parts = ['electorate', 'totals', 'majorityRule', 'outcome', 'explanation'] as const
    const differences: string[] = parts.filter(
      (part) => canonicalJson(stored[part]) !== canonicalJson(recomputed[part]),
    )
    if (strangers.length > 0 && !differences.includes('electorate')) differences.push('electorate')
    const hashValid = row.hash === hashSnapshot(hashedFieldsOf(row))
    return { matches: differences.length === 0 && hashValid, hashValid, differences, stored, recomputed }
  })
}

/** The stored result of a motion, or null when it has not closed (or does not exist). */
export async function getMotionResult(db: Database, input: MotionScope): Promise<MotionResult | null> {
  return withTenant(db, input.organizationId, (tx) => findMotionResult(tx, input))
}

/** getMotionResult inside the caller's transaction. */
export async function findMotionResult(tx: Database, input: MotionScope): Promise<MotionResult | null> {
  if (!isUuid(input.motionId)) return null
  const row = await findSnapshot(tx, input.organizationId, input.motionId)
  return row ? resultOf(row) : null
}

/** The stored results of several motions of one PH, by motion id. */
export async function getMotionResults(
  tx: Database,
  organizationId: string,
  motionIds: readonly string[],
): Promise<Map<string, MotionResult>> {
  if (motionIds.length === 0) return new Map()
  const rows = await tx
    .select()
    .from(resultSnapshots)
    .where(
      and(
        eq(resultSnapshots.organizationId, organizationId),
        inArray(resultSnapshots.motionId, [...motionIds]),
      ),
    )
  return new Map(rows.map((row) => [row.motionId, resultOf(row)]))
}

async function findSnapshot(
  tx: Database,
  organizationId: string,
  motionId: string,
): Promise<SnapshotRow | null> {
  const [row] = await tx
    .select()
    .from(resultSnapshots)
    .where(and(eq(resultSnapshots.motionId, motionId), eq(resultSnapshots.organizationId, organizationId)))
  return row ?? null
}

async function loadCountedVotes(tx: Database, motion: Motion): Promise<CountedVote[]> {
  const rows = await tx
    .select({
      unitId: votes.unitId,
      optionKeys: votes.optionKeys,
      weight: votes.weight,
      upToDate: votes.upToDate,
      receipt: votes.receipt,
    })
    .from(votes)
    .where(and(eq(votes.motionId, motion.id), eq(votes.organizationId, motion.organizationId)))
  return rows.map((row) => ({ ...row, weight: parseCoefficient(row.weight) }))
}

function resultInputOf(motion: Motion, language: 'es' | 'en') {
  return {
    language,
    title: motion.title,
    options: motion.options,
    choiceMode: motion.choiceMode,
    secret: motion.secret,
    majorityRule: motion.majorityRule,
    closedAt: motion.closedAt ?? new Date(0),
    seats: motion.seats,
  }
}

function resultOf(row: SnapshotRow): MotionResult {
  const fields = hashedFieldsOf(row)
  return {
    snapshotId: row.id,
    assemblyId: row.assemblyId,
    motionId: row.motionId,
    sequence: row.sequence,
    previousHash: row.previousHash,
    hash: row.hash,
    createdAt: row.createdAt,
    electorate: fields.electorate,
    totals: fields.totals,
    majorityRule: fields.majorityRule,
    outcome: fields.outcome,
    explanation: fields.explanation,
  }
}
