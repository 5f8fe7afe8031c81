import { sql } from 'drizzle-orm'
import { type Database, rowsOf } from '../../db/client.ts'

/** What the quorum threshold applies to (the rule's base). */
export type QuorumBase = 'coefficient' | 'units' | 'owners' | 'both'

/** One point of the quorum over time: [seconds since the epoch, percent present with 2 decimals]. */
export type QuorumTrendPoint = [at: number, percent: number]

/** At most this many points (plus the latest): a projector's line, not the acta's log. */
const MAX_POINTS = 60

/**
 * The quorum over time for a chart, from the quorum log (every attendance change and call): the share
 * present by the rule's base ('both': the lower of coefficient and units, the one that binds), thinned
 * to about 60 evenly spaced entries and always ending with the latest. Runs in the caller's transaction.
 */
export async function loadQuorumTrend(
  tx: Database,
  organizationId: string,
  assemblyId: string,
  base: QuorumBase,
): Promise<QuorumTrendPoint[]> {
  const rows = rowsOf<{ at: number; coefficient: string; units: string; owners: string }>(
    await tx.execute(sql`
      with log as (
        select at, present_coefficient, total_coefficient, present_units, total_units, present_owners,
          total_owners, row_number() over (order by at, id) as n, count(*) over () as total
        from quorum_log where organization_id = ${organizationId} and assembly_id = ${assemblyId}
      )
      select extract(epoch from at)::float8 as at,
        round(100 * present_coefficient / nullif(total_coefficient, 0), 2)::text as coefficient,
        round(100.0 * present_units / nullif(total_units, 0), 2)::text as units,
        round(100.0 * present_owners / nullif(total_owners, 0), 2)::text as owners
      from log
      where n = total or (n - 1) % greatest(1, ceil(total::numeric / ${MAX_POINTS}::int)::int) = 0
      order by n`),
  )
  return rows.map((row) => {
    const coefficient = Number(row.coefficient ?? 0)
    const units = Number(row.units ?? 0)
    const percent =
      base === 'units'
        ? units
        : base === 'owners'
          ? Number(row.owners ?? 0)
          : base === 'both'
            ? Math.min(coefficient, units)
            : coefficient
    return [Math.round(Number(row.at)), percent]
  })
}
