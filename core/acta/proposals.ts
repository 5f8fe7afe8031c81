import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { agendaItems, motions, units, votes } from '../../db/schema/index.ts'
import { getMotionResults, type MotionResult } from '../motions/results.ts'
import type { Motion } from '../motions/types.ts'
import { compareUnitNumbers } from '../ph/validation.ts'

/** How one unit voted on a named motion, as the acta lists it (never for a secret motion). */
export interface ActaNominalVote {
  unitNumber: string
  optionKeys: string[]
}

export interface ActaProposal {
  motionId: string
  position: number
  agendaItemId: string | null
  title: string
  description: string | null
  secret: boolean
  status: Motion['status']
  options: Motion['options']
  /** The frozen result; null when the motion was never closed (not voted). */
  result: MotionResult | null
  /** Each unit's choice, by unit number; null for a secret motion or one never closed. */
  nominal: ActaNominalVote[] | null
}

/**
 * The motions of an assembly in agenda order (a motion outside the agenda after those in it), each with
 * its frozen result and, when the vote was named, how each unit voted. A secret motion's votes are never
 * read here, so no renderer can list them by mistake.
 */
export async function loadProposals(
  tx: Database,
  organizationId: string,
  assemblyId: string,
): Promise<ActaProposal[]> {
  const rows = await tx
    .select({ motion: motions, agendaPosition: agendaItems.position })
    .from(motions)
    .leftJoin(agendaItems, eq(agendaItems.id, motions.agendaItemId))
    .where(and(eq(motions.assemblyId, assemblyId), eq(motions.organizationId, organizationId)))
    .orderBy(asc(motions.position), asc(motions.createdAt))
  const ordered = rows
    .map((row, index) => ({ ...row, index }))
    .sort(
      (a, b) =>
        (a.agendaPosition ?? Number.MAX_SAFE_INTEGER) - (b.agendaPosition ?? Number.MAX_SAFE_INTEGER) ||
        a.index - b.index,
    )
    .map((row) => row.motion)
  const results = await getMotionResults(
    tx,
    organizationId,
    ordered.map((motion) => motion.id),
  )
  const namedClosed = ordered.filter((m) => !m.secret && results.has(m.id)).map((m) => m.id)
  const ballots =
    namedClosed.length === 0
      ? []
      : await tx
          .select({ motionId: votes.motionId, unitNumber: units.number, optionKeys: votes.optionKeys })
          .from(votes)
          .innerJoin(units, eq(units.id, votes.unitId))
          .where(and(eq(votes.organizationId, organizationId), inArray(votes.motionId, namedClosed)))
  return ordered.map((motion) => ({
    motionId: motion.id,
    position: motion.position,
    agendaItemId: motion.agendaItemId,
    title: motion.title,
    description: motion.description,
    secret: motion.secret,
    status: motion.status,
    options: motion.options,
    result: results.get(motion.id) ?? null,
    nominal: namedClosed.includes(motion.id)
      ? ballots
          .filter((ballot) => ballot.motionId === motion.id)
          .map(({ unitNumber, optionKeys }) => ({ unitNumber, optionKeys: [...optionKeys] }))
          .sort((a, b) => compareUnitNumbers(a.unitNumber, b.unitNumber))
      : null,
  }))
}
