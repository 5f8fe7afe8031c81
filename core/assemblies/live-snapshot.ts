import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import { type Database, rowsOf } from '../../db/client.ts'
import {
  agendaItems,
  assemblies,
  attendance,
  motions,
  organizations,
  resultSnapshots,
  units,
} from '../../db/schema/index.ts'
import { withPlatformScope, withTenant } from '../../db/tenant.ts'
import { formatCoefficient, parseCoefficient, sumCoefficients } from '../decimal.ts'
import type { ElectionJson, ResultTotals } from '../motions/result-model.ts'
import { hasSmallCell, protectCoefficient, publishResult } from '../motions/secret-publication.ts'
import type { MajorityOutcome } from '../rules/majority.ts'
import { quorumPresetInfo } from '../rules/preset-catalog.ts'
import type { MotionOption } from '../rules/types.ts'
import { isPresent } from './presence.ts'
import { computeQuorum, type LiveQuorum } from './quorum.ts'
import { loadQuorumTrend, type QuorumTrendPoint } from './quorum-trend.ts'
import { loadSpeakerBoard, type SpeakerBoard } from './speakers.ts'

export interface OptionCount {
  key: string
  units: number
  /** Percent with 9 decimals. */
  coefficient: string
}

export interface MotionView {
  id: string
  title: string
  status: 'draft' | 'open' | 'closed'
  /** When the vote opened (the projector's timer), ISO; null for a draft. */
  openedAt?: string | null
  secret: boolean
  choiceMode: 'single' | 'multiple'
  /** An election's seats (voters tick up to this many candidates), or null. */
  seats: number | null
  options: MotionOption[]
  /**
   * Per option; null while a motion is open and sealed (always for secret motions, for named ones when
   * the PH seals results). A closed secret motion's coefficients are rounded to 0.1 %, or '' when withheld.
   */
  counts: OptionCount[] | null
  voted: { units: number; coefficient: string }
  /** Units that may vote now: present (and up to date when the rule says so). */
  eligible: { units: number; coefficient: string }
  /** An election's result says who is elected and who ties (core/rules/election). */
  result: { outcome: string; explanation: string; election?: ElectionJson } | null
}

export interface AssemblySnapshot {
  assembly: {
    id: string
    organizationId: string
    organizationName: string
    title: string
    status: string
    call: string
    /** The PH's locale and time zone, for dates and numbers on screens opened without signing in. */
    locale: string
    timeZone: string
    /** The agenda item being discussed now (moved by the administrator), or null. */
    agendaItem?: { position: number; title: string } | null
  }
  quorum: {
    reached: boolean
    call: string
    /** What the threshold applies to: the coefficient, the units, the owners (heads), or both. */
    base: 'coefficient' | 'units' | 'owners' | 'both'
    /** The rule's display name in Spanish and English, when it came from a preset. */
    ruleLabel: { es: string; en: string } | null
    /** Only up-to-date units count (units in arrears have voice but no vote). */
    eligibleOnly: boolean
    threshold: { numerator: number; denominator: number; strict: boolean } | null
    byCoefficient: { present: string; total: string; percent: string }
    byUnits: { present: number; total: number; percent: string }
    byOwners: { present: number; total: number; percent: string }
    /** Every unit of the PH, and the units in arrears, so screens can tell the denominators apart. */
    allUnits: number
    unitsInArrears: number
    inPerson: number
    remote: number
  }
  motions: MotionView[]
  /** Who has the floor and who is next on the current agenda item (absent from older servers). */
  speakers?: SpeakerBoard
  /** The quorum over time for the projector's chart, by the rule's base (see loadQuorumTrend). */
  quorumTrend?: QuorumTrendPoint[]
}

/** What a full reload may take from the snapshot it replaces (see loadAssemblySnapshot). */
export interface SnapshotReuse {
  previous: AssemblySnapshot
  /** Attendance, roster, proxies or the assembly changed: recompute the quorum and its chart. */
  quorumChanged: boolean
}

/** The organization of an assembly (a platform-level lookup: topics are named by assembly). */
export async function organizationOfAssembly(db: Database, assemblyId: string): Promise<string | null> {
  const [row] = await withPlatformScope(db, (tx) =>
    tx
      .select({ organizationId: assemblies.organizationId })
      .from(assemblies)
      .where(eq(assemblies.id, assemblyId)),
  )
  return row?.organizationId ?? null
}

/**
 * What a tally screen shows, from committed data only: assembly state, live quorum, and per motion the
 * counts by coefficient and by units (live for open named motions, frozen results for closed ones).
 */
export async function loadAssemblySnapshot(
  db: Database,
  organizationId: string,
  assemblyId: string,
  reuse?: SnapshotReuse,
): Promise<AssemblySnapshot | null> {
  const previous = reuse?.previous ?? null
  // Quorum follows attendance, the roster, proxies and the assembly's rules and call; any other change
  // (a motion, the agenda, the speakers) keeps the figures and the chart of the previous snapshot.
  const keptQuorum = previous && !reuse?.quorumChanged ? previous.quorum : null
  const quorum = keptQuorum ? null : await computeQuorum(db, { organizationId, assemblyId }).catch(() => null)
  if (!keptQuorum && !quorum) return null
  // A closed motion's view is final (its result is sealed): taken as it was, never recomputed.
  const closedBefore = new Map(
    (previous?.motions ?? [])
      .filter((motion) => motion.status === 'closed' && motion.result !== null)
      .map((motion) => [motion.id, motion]),
  )
  return withTenant(db, organizationId, async (tx) => {
    const [assembly] = await tx
      .select({
        id: assemblies.id,
        title: assemblies.title,
        status: assemblies.status,
        call: assemblies.currentCall,
        organizationName: organizations.name,
        locale: organizations.locale,
        timeZone: organizations.timeZone,
        sealNamedResults: organizations.sealNamedResults,
        agendaPosition: agendaItems.position,
        agendaTitle: agendaItems.title,
        agendaItemId: assemblies.currentAgendaItemId,
      })
      .from(assemblies)
      .innerJoin(organizations, eq(organizations.id, assemblies.organizationId))
      .leftJoin(
        agendaItems,
        and(
          eq(agendaItems.id, assemblies.currentAgendaItemId),
          eq(agendaItems.organizationId, assemblies.organizationId),
        ),
      )
      .where(and(eq(assemblies.id, assemblyId), eq(assemblies.organizationId, organizationId)))
    if (!assembly) return null
    const motionRows = await tx
      .select()
      .from(motions)
      .where(and(eq(motions.assemblyId, assemblyId), eq(motions.organizationId, organizationId)))
      .orderBy(asc(motions.position))
    const final = (motion: (typeof motionRows)[number]) =>
      motion.status === 'closed' ? (closedBefore.get(motion.id) ?? null) : null
    const ids = motionRows.filter((motion) => !final(motion)).map((motion) => motion.id)
    const live = motionRows.filter((motion) => motion.status === 'open').map((motion) => motion.id)
    const [optionRows, votedRows, presentRows, resultRows, speakers, quorumTrend] = await Promise.all([
      live.length === 0
        ? []
        : tx.execute(sql`select v.motion_id, k.key, count(*)::int as units, sum(v.weight)::text as coefficient
            from votes v, unnest(v.option_keys) as k(key)
            where v.organization_id = ${organizationId} and v.motion_id in (${sql.join(
              live.map((id) => sql`${id}`),
              sql`, `,
            )})
            group by v.motion_id, k.key`),
      ids.length === 0
        ? []
        : tx.execute(sql`select motion_id, count(*)::int as units, coalesce(sum(weight), 0)::text as coefficient
            from votes where organization_id = ${organizationId} and motion_id in (${sql.join(
              ids.map((id) => sql`${id}`),
              sql`, `,
            )})
            group by motion_id`),
      tx
        .select({ upToDate: units.upToDate, coefficient: units.coefficient })
        .from(attendance)
        .innerJoin(units, eq(units.id, attendance.unitId))
        .where(
          and(
            eq(attendance.organizationId, organizationId),
            eq(attendance.assemblyId, assemblyId),
            isPresent,
          ),
        ),
      ids.length === 0
        ? []
        : tx
            .select({
              motionId: resultSnapshots.motionId,
              outcome: resultSnapshots.outcome,
              explanation: resultSnapshots.explanation,
              totals: resultSnapshots.totals,
            })
            .from(resultSnapshots)
            .where(
              and(eq(resultSnapshots.organizationId, organizationId), inArray(resultSnapshots.motionId, ids)),
            ),
      loadSpeakerBoard(tx, organizationId, assemblyId, assembly.agendaItemId),
      keptQuorum ? previous!.quorumTrend : loadQuorumTrend(tx, organizationId, assemblyId, quorum!.rule.base),
    ])
    const options = rowsOf<{ motion_id: string; key: string; units: number; coefficient: string }>(optionRows)
    const voted = rowsOf<{ motion_id: string; units: number; coefficient: string }>(votedRows)
    const sumOf = (rows: { coefficient: string }[]) =>
      sumCoefficients(rows.map((row) => parseCoefficient(row.coefficient)))
    const eligibleFor = (eligibleOnly: boolean) => {
      const rows = presentRows.filter((row) => !eligibleOnly || row.upToDate)
      return { units: rows.length, coefficient: formatCoefficient(sumOf(rows)) }
    }
    return {
      assembly: {
        id: assembly.id,
        organizationId,
        organizationName: assembly.organizationName,
        title: assembly.title,
        status: assembly.status,
        call: assembly.call,
        locale: assembly.locale,
        timeZone: assembly.timeZone,
        agendaItem:
          assembly.agendaPosition === null || assembly.agendaTitle === null
            ? null
            : { position: assembly.agendaPosition, title: assembly.agendaTitle },
      },
      quorum: keptQuorum ?? quorumView(quorum!),
      speakers,
      quorumTrend,
      motions: motionRows.map((motion): MotionView => {
        const kept = final(motion)
        if (kept) return kept
        const result = resultRows.find((row) => row.motionId === motion.id)
        const totals = result?.totals as ResultTotals | undefined
        const votedRow = voted.find((row) => row.motion_id === motion.id)
        const liveCounts = motion.options.map((option) => {
          const row = options.find((r) => r.motion_id === motion.id && r.key === option.key)
          return { key: option.key, units: row?.units ?? 0, coefficient: row?.coefficient ?? '0.000000000' }
        })
        // Closed secret motions: rounded or withheld figures; open motions: sealed (turnout only) unless
        // named and the PH chose to show running tallies.
        const withhold = totals?.motion.secret === true && hasSmallCell(totals)
        const shownCoefficient = (text: string) =>
          motion.secret ? (protectCoefficient(text, withhold) ?? '') : text
        const counts = totals
          ? totals.tally.options.map((row) => ({
              key: row.key,
              units: row.units,
              coefficient: shownCoefficient(row.coefficient),
            }))
          : motion.status === 'open' && !motion.secret && !assembly.sealNamedResults
            ? liveCounts
            : null
        return {
          id: motion.id,
          title: motion.title,
          status: motion.status,
          openedAt: motion.openedAt?.toISOString() ?? null,
          secret: motion.secret,
          choiceMode: motion.choiceMode,
          seats: motion.seats,
          options: motion.options,
          counts,
          voted: {
            units: votedRow?.units ?? 0,
            coefficient: shownCoefficient(votedRow?.coefficient ?? '0.000000000'),
          },
          eligible: totals
            ? { units: totals.tally.present.units, coefficient: totals.tally.present.coefficient }
            : eligibleFor(motion.majorityRule.eligibleOnly),
          result: result
            ? {
                outcome: result.outcome,
                // A secret motion's stored explanation quotes exact weights: the screen gets the published one.
                explanation:
                  motion.secret && totals
                    ? publishResult(
                        {
                          electorate: [],
                          totals,
                          majorityRule: motion.majorityRule,
                          outcome: result.outcome as MajorityOutcome,
                          explanation: result.explanation,
                        },
                        { exact: false },
                      ).explanation
                    : result.explanation,
                ...(totals?.election ? { election: totals.election } : {}),
              }
            : null,
        }
      }),
    }
  })
}

/** The live figures of one open motion, as the votes table gives them. */
export interface LiveCounts {
  /** Per option key chosen at least once: units that chose it and the sum of their weights. */
  options: Map<string, { units: number; coefficient: string }>
  /** Units that voted and the sum of their weights (9 decimals); none voted: 0 units. */
  voted: { units: number; coefficient: string }
}

/**
 * The live part of open motions (votes counted and, for named motions, counts per option), for the
 * hub's light tick after a batch of votes is committed: quorum, attendance and closed motions do not
 * change with votes, so they are not recomputed. Returns the snapshot with those motions updated.
 */
export async function refreshLiveCounts(
  db: Database,
  snapshot: AssemblySnapshot,
  motionIds: Iterable<string>,
): Promise<AssemblySnapshot> {
  const wanted = new Set(motionIds)
  const live = snapshot.motions.filter((motion) => motion.status === 'open' && wanted.has(motion.id))
  if (live.length === 0) return snapshot
  const organizationId = snapshot.assembly.organizationId
  const ids = sql.join(
    live.map((motion) => sql`${motion.id}`),
    sql`, `,
  )
  const [optionRows, votedRows] = await withTenant(db, organizationId, (tx) =>
    Promise.all([
      tx.execute(sql`select v.motion_id, k.key, count(*)::int as units, sum(v.weight)::text as coefficient
        from votes v, unnest(v.option_keys) as k(key)
        where v.organization_id = ${organizationId} and v.motion_id in (${ids})
        group by v.motion_id, k.key`),
      tx.execute(sql`select motion_id, count(*)::int as units, coalesce(sum(weight), 0)::text as coefficient
        from votes where organization_id = ${organizationId} and motion_id in (${ids})
        group by motion_id`),
    ]),
  )
  const counts = new Map<string, LiveCounts>(
    live.map((motion) => [
      motion.id,
      { options: new Map(), voted: { units: 0, coefficient: '0.000000000' } },
    ]),
  )
  for (const row of rowsOf<{ motion_id: string; key: string; units: number; coefficient: string }>(
    optionRows,
  ))
    counts.get(row.motion_id)?.options.set(row.key, { units: row.units, coefficient: row.coefficient })
  for (const row of rowsOf<{ motion_id: string; units: number; coefficient: string }>(votedRows)) {
    const motion = counts.get(row.motion_id)
    if (motion) motion.voted = { units: row.units, coefficient: row.coefficient }
  }
  return withLiveCounts(snapshot, counts)
}

/** The snapshot with the given open motions' live figures (other motions as they were). */
export function withLiveCounts(
  snapshot: AssemblySnapshot,
  counts: ReadonlyMap<string, LiveCounts>,
): AssemblySnapshot {
  const none = { units: 0, coefficient: '0.000000000' }
  let changed = false
  const motions = snapshot.motions.map((motion): MotionView => {
    const live = motion.status === 'open' ? counts.get(motion.id) : undefined
    if (!live) return motion
    changed = true
    const shown = (figure: { units: number; coefficient: string } | undefined) =>
      figure && figure.units > 0 ? figure : none
    const voted = shown(live.voted)
    return {
      ...motion,
      // Sealed in the full snapshot (secret, or named in a PH that seals results): stays sealed.
      counts:
        motion.secret || motion.counts === null
          ? null
          : motion.options.map((option) => ({ key: option.key, ...shown(live.options.get(option.key)) })),
      voted: {
        units: voted.units,
        coefficient: motion.secret ? (protectCoefficient(voted.coefficient, false) ?? '') : voted.coefficient,
      },
    }
  })
  return changed ? { ...snapshot, motions } : snapshot
}

/** What screens show of the live quorum. */
function quorumView(quorum: LiveQuorum): AssemblySnapshot['quorum'] {
  return {
    reached: quorum.reached,
    call: quorum.call,
    base: quorum.rule.base,
    ruleLabel: quorumPresetInfo(quorum.rule.preset)?.label ?? null,
    eligibleOnly: quorum.rule.eligibleOnly,
    threshold: quorum.threshold,
    byCoefficient: {
      present: quorum.byCoefficient.present,
      total: quorum.byCoefficient.total,
      percent: quorum.byCoefficient.percent,
    },
    byUnits: {
      present: quorum.byUnits.present,
      total: quorum.byUnits.total,
      percent: quorum.byUnits.percent,
    },
    byOwners: {
      present: quorum.byOwners.present,
      total: quorum.byOwners.total,
      percent: quorum.byOwners.percent,
    },
    allUnits: quorum.allUnits,
    unitsInArrears: quorum.unitsInArrears,
    inPerson: quorum.inPerson.units,
    remote: quorum.remote.units,
  }
}
