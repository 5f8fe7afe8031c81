import type { Static } from '@sinclair/typebox'
import { and, asc, eq, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { attendance, ownerships, quorumLog, units } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { formatCoefficient, parseCoefficient } from '../decimal.ts'
import { evaluateQuorum } from '../rules/quorum.ts'
import type { Call } from '../rules/types.ts'
import { findAssembly } from './guards.ts'
import { isPresent } from './presence.ts'
import type { LiveQuorumSchema } from './schemas.ts'
import type { Assembly } from './types.ts'

/** The quorum of an assembly now, from its open attendance, its rule and its current call (./schemas.ts). */
export type LiveQuorum = Static<typeof LiveQuorumSchema>

/** One row of the quorum log, as the acta shows it. */
export interface QuorumLogEntry {
  at: Date
  call: Call
  presentCoefficient: string
  totalCoefficient: string
  presentUnits: number
  totalUnits: number
  inPersonUnits: number
  remoteUnits: number
  presentOwners: number
  totalOwners: number
  reached: boolean
}

/**
 * The live quorum of an assembly (present = an open attendance row), evaluated exactly with the
 * assembly's rule at its current call. Throws 404 `not_found`.
 */
export async function computeQuorum(
  db: Database,
  input: { organizationId: string; assemblyId: string },
): Promise<LiveQuorum> {
  return withTenant(db, input.organizationId, async (tx) => {
    const assembly = await findAssembly(tx, input.organizationId, input.assemblyId)
    return evaluateAssemblyQuorum(tx, input.organizationId, assembly)
  })
}

/** The quorum log of an assembly, oldest first (the acta's record of quorum over time). Throws 404. */
export async function quorumHistory(
  db: Database,
  input: { organizationId: string; assemblyId: string },
): Promise<QuorumLogEntry[]> {
  return withTenant(db, input.organizationId, async (tx) => {
    await findAssembly(tx, input.organizationId, input.assemblyId)
    return tx
      .select({
        at: quorumLog.at,
        call: quorumLog.call,
        presentCoefficient: quorumLog.presentCoefficient,
        totalCoefficient: quorumLog.totalCoefficient,
        presentUnits: quorumLog.presentUnits,
        totalUnits: quorumLog.totalUnits,
        inPersonUnits: quorumLog.inPersonUnits,
        remoteUnits: quorumLog.remoteUnits,
        presentOwners: quorumLog.presentOwners,
        totalOwners: quorumLog.totalOwners,
        reached: quorumLog.reached,
      })
      .from(quorumLog)
      .where(
        and(eq(quorumLog.organizationId, input.organizationId), eq(quorumLog.assemblyId, input.assemblyId)),
      )
      .orderBy(asc(quorumLog.at))
  })
}

/**
 * A unit's owners as one key (their sorted ids): the same set of owners is one head for the owners base.
 * The outer unit's id is written with its table name: in a select without joins drizzle writes columns
 * bare, and a bare "id" inside this subquery would be the ownership's own id (no owner key at all).
 */
export const unitOwnerKey = sql<
  string | null
>`(select string_agg(${ownerships.personId}::text, ',' order by ${ownerships.personId}) from ${ownerships} where ${ownerships.unitId} = ${sql.identifier('units')}.${sql.identifier('id')})`

/** Evaluates the quorum inside an open tenant transaction. */
export async function evaluateAssemblyQuorum(
  tx: Database,
  organizationId: string,
  assembly: Assembly,
): Promise<LiveQuorum> {
  const rows = await tx
    .select({
      id: units.id,
      coefficient: units.coefficient,
      upToDate: units.upToDate,
      mode: attendance.mode,
      ownerKey: unitOwnerKey,
    })
    .from(units)
    .leftJoin(
      attendance,
      and(
        eq(attendance.unitId, units.id),
        eq(attendance.assemblyId, assembly.id),
        eq(attendance.organizationId, organizationId),
        isPresent,
      ),
    )
    .where(eq(units.organizationId, organizationId))
  const inPerson = { units: 0, coefficient: 0n }
  const remote = { units: 0, coefficient: 0n }
  const quorumUnits = rows.map((row) => {
    const coefficient = parseCoefficient(row.coefficient)
    const tally = row.mode === 'in_person' ? inPerson : row.mode === 'remote' ? remote : null
    if (tally) {
      tally.units += 1
      tally.coefficient += coefficient
    }
    return {
      id: row.id,
      coefficient,
      upToDate: row.upToDate,
      present: row.mode !== null,
      ownerKey: row.ownerKey ?? undefined,
    }
  })
  const result = evaluateQuorum({ rule: assembly.quorumRule, call: assembly.currentCall, units: quorumUnits })
  return {
    assemblyId: assembly.id,
    call: result.call,
    rule: assembly.quorumRule,
    reached: result.reached,
    threshold: result.threshold,
    reason: result.reason,
    explanation: result.explanation,
    byCoefficient: {
      present: formatCoefficient(result.byCoefficient.present),
      total: formatCoefficient(result.byCoefficient.total),
      percent: result.byCoefficient.percent,
      met: result.byCoefficient.met,
    },
    byUnits: result.byUnits,
    byOwners: result.byOwners,
    allUnits: quorumUnits.length,
    unitsInArrears: quorumUnits.filter((unit) => !unit.upToDate).length,
    inPerson: { units: inPerson.units, coefficient: formatCoefficient(inPerson.coefficient) },
    remote: { units: remote.units, coefficient: formatCoefficient(remote.coefficient) },
  }
}

/** Evaluates the quorum and appends it to the log, inside the transaction that changed attendance. */
export async function recordQuorum(
  tx: Database,
  organizationId: string,
  assembly: Assembly,
): Promise<LiveQuorum> {
  const quorum = await evaluateAssemblyQuorum(tx, organizationId, assembly)
  await tx.insert(quorumLog).values({
    organizationId,
    assemblyId: assembly.id,
    call: quorum.call,
    presentCoefficient: quorum.byCoefficient.present,
    totalCoefficient: quorum.byCoefficient.total,
    presentUnits: quorum.byUnits.present,
    totalUnits: quorum.byUnits.total,
    inPersonUnits: quorum.inPerson.units,
    remoteUnits: quorum.remote.units,
    presentOwners: quorum.byOwners.present,
    totalOwners: quorum.byOwners.total,
    reached: quorum.reached,
    // The statement clock, not the transaction start, so entries of one transaction keep their order.
    at: sql`clock_timestamp()`,
  })
  return quorum
}

/** The small message published on the assembly's topic after a quorum change. */
export function quorumMessage(quorum: LiveQuorum) {
  return {
    type: 'quorum',
    call: quorum.call,
    reached: quorum.reached,
    byCoefficient: quorum.byCoefficient,
    byUnits: quorum.byUnits,
    byOwners: quorum.byOwners,
    inPerson: quorum.inPerson,
    remote: quorum.remote,
  }
}
