import { asc, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { actaSeals, actaSignOffs, assemblies } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { sha256Hex } from '../auth/crypto.ts'
import { canonicalJson } from '../canonical-json.ts'

/*
 * Final actas are chained per PH the way result snapshots are (core/motions/chain.ts): each seal's hash
 * covers the previous seal's hash, the hash of the frozen record and the two sign-offs. Verification
 * recomputes the record's hash from the stored record, so editing a final acta in the database shows.
 */

export interface SealFields {
  organizationId: string
  assemblyId: string
  sequence: number
  previousHash: string | null
  recordHash: string
  signOffs: { role: string; signerName: string; signedAt: Date; userId: string | null; hash: string }[]
}

/** SHA-256 (hex) of the canonical JSON of the seal's fields, sign-offs in role order. */
export function hashSeal(fields: SealFields): string {
  const signOffs = [...fields.signOffs]
    .sort((a, b) => a.role.localeCompare(b.role))
    .map((s) => ({
      role: s.role,
      signerName: s.signerName,
      signedAt: s.signedAt,
      userId: s.userId,
      hash: s.hash,
    }))
  return sha256Hex(
    canonicalJson({
      organizationId: fields.organizationId,
      assemblyId: fields.assemblyId,
      sequence: fields.sequence,
      previousHash: fields.previousHash,
      recordHash: fields.recordHash,
      signOffs,
    }),
  )
}

export type ActaChainBreak = 'sequence_gap' | 'previous_hash_mismatch' | 'record_changed' | 'hash_mismatch'

export interface ActaChainReport {
  ok: boolean
  checked: number
  brokenAt: { assemblyId: string; sequence: number; reason: ActaChainBreak } | null
}

/** Re-checks every final acta of a PH in order; reports the first broken link. */
export async function verifyActaChain(db: Database, organizationId: string): Promise<ActaChainReport> {
  return withTenant(db, organizationId, async (tx) => {
    const seals = await tx
      .select({ seal: actaSeals, record: assemblies.record })
      .from(actaSeals)
      .innerJoin(assemblies, eq(assemblies.id, actaSeals.assemblyId))
      .where(eq(actaSeals.organizationId, organizationId))
      .orderBy(asc(actaSeals.sequence))
    const signOffs = await tx
      .select()
      .from(actaSignOffs)
      .where(eq(actaSignOffs.organizationId, organizationId))
    let previousHash: string | null = null
    for (const [index, { seal, record }] of seals.entries()) {
      const fields: SealFields = {
        ...seal,
        signOffs: signOffs
          .filter((s) => s.assemblyId === seal.assemblyId)
          .map((s) => ({ ...s, hash: s.recordHash })),
      }
      const reason: ActaChainBreak | null =
        seal.sequence !== index + 1
          ? 'sequence_gap'
          : seal.previousHash !== previousHash
            ? 'previous_hash_mismatch'
            : sha256Hex(canonicalJson(record)) !== seal.recordHash
              ? 'record_changed'
              : hashSeal(fields) !== seal.hash
                ? 'hash_mismatch'
                : null
      if (reason)
        return {
          ok: false,
          checked: index,
          brokenAt: { assemblyId: seal.assemblyId, sequence: seal.sequence, reason },
        }
      previousHash = seal.hash
    }
    return { ok: true, checked: seals.length, brokenAt: null }
  })
}
