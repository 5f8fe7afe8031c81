import { sql } from 'drizzle-orm'
import type { LiveCounts } from '../core/assemblies/live-snapshot.ts'
import { formatCoefficient, parseCoefficient } from '../core/decimal.ts'
import { type CommittedBallot, compareSequence } from '../core/votes/writer.ts'
import { type Database, rowsOf } from '../db/client.ts'
import { withTenant } from '../db/tenant.ts'

interface Ballot {
  sequence: string
  weight: bigint
  optionKeys: readonly string[]
}

interface MotionTally {
  ballots: Map<string, Ballot>
  options: Map<string, { units: number; weight: bigint }>
  voted: { units: number; weight: bigint }
  loadedAt: number
  /** Ballots committed while the motion's rows are being (re)loaded: applied on top of them. */
  arriving: CommittedBallot[] | null
  /** The (re)load under way. */
  loading: Promise<void> | null
}

/**
 * How long live counts are trusted without reading them again: a committed message lost on the way
 * (a pub/sub connection that dropped at that moment) is made good within this time.
 */
const RELOAD_MS = 5000

const emptyTally = (): MotionTally => ({
  ballots: new Map(),
  options: new Map(),
  voted: { units: 0, weight: 0n },
  loadedAt: 0,
  arriving: null,
  loading: null,
})

/** Adds (sign 1) or removes (sign -1) one unit's ballot from the counts. */
function count(tally: MotionTally, ballot: Ballot, sign: 1 | -1) {
  tally.voted.units += sign
  tally.voted.weight += BigInt(sign) * ballot.weight
  for (const key of ballot.optionKeys) {
    const option = tally.options.get(key) ?? { units: 0, weight: 0n }
    option.units += sign
    option.weight += BigInt(sign) * ballot.weight
    tally.options.set(key, option)
  }
}

/** The table's rule: a unit's row is replaced only by a newer sequence. */
function apply(tally: MotionTally, unitId: string, ballot: Ballot) {
  const current = tally.ballots.get(unitId)
  if (current && compareSequence(ballot.sequence, current.sequence) <= 0) return
  if (current) count(tally, current, -1)
  tally.ballots.set(unitId, ballot)
  count(tally, ballot, 1)
}

const ballotOf = (row: CommittedBallot): Ballot => ({
  sequence: row.sequence,
  weight: parseCoefficient(row.weight),
  optionKeys: row.optionKeys,
})

/**
 * The counts of open motions kept in memory from each committed batch's rows (the writer's committed
 * message carries them), so a tally tick publishes without a query. Each motion's rows are read once
 * when it is first asked for (and again every few seconds, in case a message was lost), and the
 * batches committed meanwhile are applied on top: newest sequence wins per unit, as in the table, so
 * the order messages arrive in and replays do not matter. Every realtime process keeps its own.
 */
export function createLiveTallies(deps: { db: Database }) {
  const motions = new Map<string, MotionTally>()
  const stats = { loads: 0 }

  function load(organizationId: string, motionIds: string[]): Promise<void> {
    const tallies = motionIds.map((motionId) => {
      const tally = motions.get(motionId) ?? emptyTally()
      tally.arriving = []
      motions.set(motionId, tally)
      return [motionId, tally] as const
    })
    const loading = read(organizationId, motionIds, tallies)
    for (const [, tally] of tallies) tally.loading = loading
    return loading
  }

  async function read(
    organizationId: string,
    motionIds: string[],
    tallies: (readonly [string, MotionTally])[],
  ): Promise<void> {
    stats.loads += 1
    try {
      const rows = rowsOf<{
        motion_id: string
        unit_id: string
        sequence: string
        weight: string
        option_keys: string[]
      }>(
        await withTenant(deps.db, organizationId, (tx) =>
          tx.execute(sql`select motion_id, unit_id, sequence, weight::text as weight, option_keys from votes
            where organization_id = ${organizationId} and motion_id in (${sql.join(
              motionIds.map((id) => sql`${id}`),
              sql`, `,
            )})`),
        ),
      )
      const fresh = new Map(motionIds.map((motionId) => [motionId, emptyTally()]))
      for (const row of rows) {
        apply(fresh.get(row.motion_id)!, row.unit_id, {
          sequence: row.sequence,
          weight: parseCoefficient(row.weight),
          optionKeys: row.option_keys,
        })
      }
      for (const [motionId, tally] of tallies) {
        const next = fresh.get(motionId)!
        for (const row of tally.arriving ?? []) apply(next, row.unitId, ballotOf(row))
        next.loadedAt = Date.now()
        // Forgotten meanwhile (the motion closed): stays forgotten.
        if (motions.get(motionId) === tally) motions.set(motionId, next)
      }
    } finally {
      for (const [, tally] of tallies) {
        tally.arriving = null
        tally.loading = null
      }
    }
  }

  return {
    stats: stats as Readonly<typeof stats>,
    /** Applies a committed batch's rows to the motions kept here (others are read when asked for). */
    apply(rows: readonly CommittedBallot[]): void {
      for (const row of rows) {
        const tally = motions.get(row.motionId)
        if (!tally) continue
        tally.arriving?.push(row)
        apply(tally, row.unitId, ballotOf(row))
      }
    },
    /** The live counts of these open motions of one PH (reads the rows of those not kept yet). */
    async counts(organizationId: string, motionIds: readonly string[]): Promise<Map<string, LiveCounts>> {
      const now = Date.now()
      const stale = motionIds.filter((motionId) => {
        const tally = motions.get(motionId)
        return !tally || (tally.loading === null && now - tally.loadedAt > RELOAD_MS)
      })
      const loads = motionIds.flatMap((motionId) => motions.get(motionId)?.loading ?? [])
      if (stale.length > 0) loads.push(load(organizationId, stale))
      await Promise.all(loads)
      const out = new Map<string, LiveCounts>()
      for (const motionId of motionIds) {
        const tally = motions.get(motionId)
        if (!tally) continue
        out.set(motionId, {
          options: new Map(
            [...tally.options].map(([key, option]) => [
              key,
              { units: option.units, coefficient: formatCoefficient(option.weight) },
            ]),
          ),
          voted: { units: tally.voted.units, coefficient: formatCoefficient(tally.voted.weight) },
        })
      }
      return out
    },
    /** Stops keeping a motion (it closed: its view is its result from now on). */
    forget(motionId: string): void {
      motions.delete(motionId)
    },
  }
}

export type LiveTallies = ReturnType<typeof createLiveTallies>
