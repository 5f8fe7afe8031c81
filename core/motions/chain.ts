import { asc, desc, eq, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { resultSnapshots } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { sha256Hex } from '../auth/crypto.ts'
import { canonicalJson } from '../canonical-json.ts'
import type { ResultBody } from './result-model.ts'

/** Everything a snapshot's hash covers. */
export interface HashedSnapshot extends ResultBody {
  organizationId: string
  assemblyId: string
  motionId: string
  sequence: number
  previousHash: string | null
}

/** SHA-256 (hex) of the canonical JSON of the snapshot, which includes the previous snapshot's hash. */
export function hashSnapshot(snapshot: HashedSnapshot): string {
  return sha256Hex(
    canonicalJson({
      organizationId: snapshot.organizationId,
      assemblyId: snapshot.assemblyId,
      motionId: snapshot.motionId,
      sequence: snapshot.sequence,
      previousHash: snapshot.previousHash,
      electorate: snapshot.electorate,
      totals: snapshot.totals,
      majorityRule: snapshot.majorityRule,
      outcome: snapshot.outcome,
      explanation: snapshot.explanation,
    }),
  )
}

export type SnapshotRow = typeof resultSnapshots.$inferSelect

/** The hashed fields of a stored row (jsonb columns read back as plain data). */
export function hashedFieldsOf(row: SnapshotRow): HashedSnapshot {
  return {
    organizationId: row.organizationId,
    assemblyId: row.assemblyId,
    motionId: row.motionId,
    sequence: row.sequence,
    previousHash: row.previousHash,
    electorate: row.electorate as HashedSnapshot['electorate'],
    totals: row.totals as HashedSnapshot['totals'],
    majorityRule: row.majorityRule,
    outcome: row.outcome as HashedSnapshot['outcome'],
    explanation: row.explanation,
  }
}

/**
 * Appends a snapshot to the PH's chain inside the caller's transaction: next sequence, the previous
 * hash, and its own hash. A transaction-scoped advisory lock per PH serializes appends, so two motions
 * closing at once never fork the chain.
 */
export async function appendResultSnapshot(
  tx: Database,
  input: { organizationId: string; assemblyId: string; motionId: string; body: ResultBody },
): Promise<SnapshotRow> {
  const { organizationId, assemblyId, motionId, body } = input
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`result_snapshots:${organizationId}`}))`)
  const [last] = await tx
    .select({ sequence: resultSnapshots.sequence, hash: resultSnapshots.hash })
    .from(resultSnapshots)
    .where(eq(resultSnapshots.organizationId, organizationId))
    .orderBy(desc(resultSnapshots.sequence))
    .limit(1)
  const fields: HashedSnapshot = {
    organizationId,
    assemblyId,
    motionId,
    sequence: (last?.sequence ?? 0) + 1,
    previousHash: last?.hash ?? null,
    ...body,
  }
  const [row] = await tx
    .insert(resultSnapshots)
    .values({ ...fields, hash: hashSnapshot(fields) })
    .returning()
  return row!
}

export type ChainBreak = 'sequence_gap' | 'previous_hash_mismatch' | 'hash_mismatch'

export interface ChainReport {
  ok: boolean
  /** Snapshots verified before the first broken one (all of them when ok). */
  checked: number
  brokenAt: { snapshotId: string; motionId: string; sequence: number; reason: ChainBreak } | null
}

/**
 * Recomputes every snapshot hash of a PH in sequence order and checks each link to the previous one.
 * Reports the first broken link: a missing sequence number, a previous hash that is not the prior
 * snapshot's hash, or a hash that does not match the row's content.
 */
export async function verifyResultChain(db: Database, organizationId: string): Promise<ChainReport> {
  const rows = await withTenant(db, organizationId, (tx) =>
    tx
      .select()
      .from(resultSnapshots)
      .where(eq(resultSnapshots.organizationId, organizationId))
      .orderBy(asc(resultSnapshots.sequence)),
  )
  let previousHash: string | null = null
  for (const [index, row] of rows.entries()) {
    const reason: ChainBreak | null =
      row.sequence !== index + 1
        ? 'sequence_gap'
        : row.previousHash !== previousHash
          ? 'previous_hash_mismatch'
          : row.hash !== hashSnapshot(hashedFieldsOf(row))
            ? 'hash_mismatch'
            : null
    if (reason) {
      const brokenAt = { snapshotId: row.id, motionId: row.motionId, sequence: row.sequence, reason }
      return { ok: false, checked: index, brokenAt }
    }
    previousHash = row.hash
  }
  return { ok: true, checked: rows.length, brokenAt: null }
}
