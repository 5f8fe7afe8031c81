import { and, count, eq, sql } from 'drizzle-orm'
import { type Database, rowsOf } from '../../db/client.ts'
import { organizations, units, votes } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { appendAudit } from '../auth/audit.ts'
import type { Motion } from './types.ts'

/*
 * Results sealed until close. While a motion is open, nobody (the PH administrator included) sees how a
 * secret motion is going: only how many units have voted. A named motion shows its running tally only
 * when the PH has turned `sealNamedResults` off. Whoever opens a tally view of an open motion (the
 * result, the recount, a CSV export) is written to the audit log with which view, sealed or not, so
 * the acta's reader can tell who could have watched the count.
 */

/** The views of a motion's figures that are audited while it is open. */
export type TallyView = 'result' | 'recount' | 'export'

/** Whether an open motion's running figures are hidden: always for secret motions, per PH for named ones. */
export function isSealed(motion: Pick<Motion, 'secret'>, sealNamedResults: boolean): boolean {
  return motion.secret || sealNamedResults
}

export interface RunningTally {
  motionId: string
  status: 'open'
  /** true: only turnout is shown (`counts` is null). */
  sealed: boolean
  turnout: { voted: number; eligible: number }
  /** Committed votes per option by units and coefficient; null while sealed. */
  counts: { key: string; units: number; coefficient: string }[] | null
}

/** Records that `userId` opened `view` of a motion that is still open (audit action `motion.tally_viewed`). */
export async function auditTallyView(
  db: Database,
  input: {
    organizationId: string
    motion: Pick<Motion, 'id' | 'status'>
    userId: string | null
    view: TallyView
    sealed: boolean
  },
): Promise<void> {
  await appendAudit(db, {
    action: 'motion.tally_viewed',
    organizationId: input.organizationId,
    actorUserId: input.userId,
    subject: input.motion.id,
    data: { view: input.view, status: input.motion.status, sealed: input.sealed },
  })
}

/** Whether the motion's running figures are sealed for its PH now. */
export async function sealedFor(db: Database, organizationId: string, motion: Pick<Motion, 'secret'>) {
  const [organization] = await withTenant(db, organizationId, (tx) =>
    tx
      .select({ sealNamedResults: organizations.sealNamedResults })
      .from(organizations)
      .where(eq(organizations.id, organizationId)),
  )
  return isSealed(motion, organization?.sealNamedResults ?? true)
}

/**
 * The running tally of an open motion as `userId` may see it, and the audit row saying they looked.
 * Counts are the committed votes (a ballot still queued shows a moment later, as on the projector).
 */
export async function readRunningTally(
  db: Database,
  input: { organizationId: string; motion: Motion; userId: string | null; view: TallyView },
): Promise<RunningTally> {
  const { organizationId, motion } = input
  const sealed = await sealedFor(db, organizationId, motion)
  const [turnout, eligible, optionRows] = await withTenant(db, organizationId, (tx) =>
    Promise.all([
      tx
        .select({ voted: count() })
        .from(votes)
        .where(and(eq(votes.motionId, motion.id), eq(votes.organizationId, organizationId))),
      tx
        .select({ units: count() })
        .from(units)
        .where(
          motion.majorityRule.eligibleOnly
            ? and(eq(units.organizationId, organizationId), eq(units.upToDate, true))
            : eq(units.organizationId, organizationId),
        ),
      sealed
        ? Promise.resolve([])
        : tx.execute(sql`select k.key, count(*)::int as units, sum(v.weight)::text as coefficient
            from ${votes} v, unnest(v.option_keys) as k(key)
            where v.organization_id = ${organizationId} and v.motion_id = ${motion.id}
            group by k.key`),
    ]),
  )
  await auditTallyView(db, { ...input, motion, sealed })
  const rows = rowsOf<{ key: string; units: number; coefficient: string }>(optionRows)
  return {
    motionId: motion.id,
    status: 'open',
    sealed,
    turnout: { voted: turnout[0]?.voted ?? 0, eligible: eligible[0]?.units ?? 0 },
    counts: sealed
      ? null
      : motion.options.map((option) => {
          const row = rows.find((r) => r.key === option.key)
          return { key: option.key, units: row?.units ?? 0, coefficient: row?.coefficient ?? '0.000000000' }
        }),
  }
}
