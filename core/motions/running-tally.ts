import { and, count, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { organizations, units, votes } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { appendAudit } from '../auth/audit.ts'
import { formatCoefficient, parseCoefficient } from '../decimal.ts'
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

/** A unit's latest ballot as the running tally needs it. */
export interface LatestBallot {
  unitId: string
  optionKeys: readonly string[]
  /** Percent with 9 decimals. */
  weight: string
}

/**
 * The running tally of an open motion as `userId` may see it, and the audit row saying they looked.
 * Counts are the committed votes, overridden by `queued` (the vote queue's latest ballot per unit, which
 * the writer has not necessarily committed yet), so the count is the one a close would take.
 */
export async function readRunningTally(
  db: Database,
  input: {
    organizationId: string
    motion: Motion
    userId: string | null
    view: TallyView
    queued?: readonly LatestBallot[]
  },
): Promise<RunningTally> {
  const { organizationId, motion } = input
  const sealed = await sealedFor(db, organizationId, motion)
  const [committed, eligible] = await withTenant(db, organizationId, (tx) =>
    Promise.all([
      tx
        .select({ unitId: votes.unitId, optionKeys: votes.optionKeys, weight: votes.weight })
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
    ]),
  )
  await auditTallyView(db, { ...input, motion, sealed })
  const latest = new Map<string, LatestBallot>(committed.map((ballot) => [ballot.unitId, ballot]))
  for (const ballot of input.queued ?? []) latest.set(ballot.unitId, ballot)
  return {
    motionId: motion.id,
    status: 'open',
    sealed,
    turnout: { voted: latest.size, eligible: eligible[0]?.units ?? 0 },
    counts: sealed ? null : countByOption(motion, [...latest.values()]),
  }
}

function countByOption(motion: Motion, ballots: readonly LatestBallot[]) {
  return motion.options.map((option) => {
    const chosen = ballots.filter((ballot) => ballot.optionKeys.includes(option.key))
    const weight = chosen.reduce((sum, ballot) => sum + parseCoefficient(ballot.weight), 0n)
    return { key: option.key, units: chosen.length, coefficient: formatCoefficient(weight) }
  })
}
