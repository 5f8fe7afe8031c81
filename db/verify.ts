import { join } from 'node:path'
import { asc } from 'drizzle-orm'
import { verifyAuditChain } from '../core/auth/audit.ts'
import { loadConfigOrExit } from '../core/config.ts'
import { verifyResultChain } from '../core/motions/chain.ts'
import { type Database, openDatabase } from './client.ts'
import { organizations } from './schema/index.ts'

/*
 * Recomputes the hash chains that make tampering detectable:
 *   bun db/verify.ts audit     the security audit log (one chain for the installation)
 *   bun db/verify.ts results   the frozen motion results (one chain per PH)
 * Exit 0 when intact, 1 when a chain is broken (naming the first broken row), 2 on a wrong command line.
 */

export const VERIFY_TARGETS = ['audit', 'results'] as const
export type VerifyTarget = (typeof VERIFY_TARGETS)[number]

export interface VerifyOutcome {
  ok: boolean
  message: string
}

export const VERIFY_USAGE = `Usage: bun db/verify.ts <${VERIFY_TARGETS.join('|')}>`

export function isVerifyTarget(value: string | undefined): value is VerifyTarget {
  return (VERIFY_TARGETS as readonly (string | undefined)[]).includes(value)
}

/** Verifies one chain on an open database (connect as the owner: the app role cannot see every PH). */
export async function runVerify(db: Database, what: VerifyTarget): Promise<VerifyOutcome> {
  switch (what) {
    case 'audit':
      return verifyAudit(db)
    case 'results':
      return verifyResults(db)
  }
}

async function verifyAudit(db: Database): Promise<VerifyOutcome> {
  const report = await verifyAuditChain(db)
  if (report.ok) return { ok: true, message: `audit chain ok (${report.checked} entries)` }
  return {
    ok: false,
    message: `audit chain broken at id ${report.brokenAtId} (${report.checked} entries before it are intact)`,
  }
}

async function verifyResults(db: Database): Promise<VerifyOutcome> {
  const phs = await db
    .select({ id: organizations.id, slug: organizations.slug })
    .from(organizations)
    .orderBy(asc(organizations.slug))
  let snapshots = 0
  const broken: string[] = []
  for (const ph of phs) {
    const report = await verifyResultChain(db, ph.id)
    snapshots += report.checked
    if (report.brokenAt) {
      const { snapshotId, motionId, sequence, reason } = report.brokenAt
      broken.push(
        `result chain of ${ph.slug} (${ph.id}) broken at snapshot ${snapshotId} ` +
          `(sequence ${sequence}, motion ${motionId}): ${reason}`,
      )
    }
  }
  if (broken.length > 0) return { ok: false, message: broken.join('\n') }
  return { ok: true, message: `result chains ok (${phs.length} organizations, ${snapshots} snapshots)` }
}

if (import.meta.main) {
  const what = Bun.argv[2]
  if (!isVerifyTarget(what) || Bun.argv.length > 3) {
    console.error(VERIFY_USAGE)
    process.exit(2)
  }
  const config = loadConfigOrExit()
  const handle = await openDatabase({ url: config.databaseUrl, pgliteDir: join(config.dataDir, 'pglite') })
  let outcome: VerifyOutcome
  try {
    outcome = await runVerify(handle.db, what)
  } finally {
    await handle.close()
  }
  if (outcome.ok) console.log(outcome.message)
  else console.error(outcome.message)
  process.exit(outcome.ok ? 0 : 1)
}
