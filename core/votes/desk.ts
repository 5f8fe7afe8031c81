import { and, eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { attendance, motions, units } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { isPresent } from '../assemblies/presence.ts'
import { appendAudit } from '../auth/audit.ts'
import { AppError } from '../errors.ts'
import type { BallotInput, RefusalCode } from '../motions/eligibility.ts'
import type { FastVote, VoteService } from './service.ts'

/** How the staff learned the unit's choice: at the desk, on a paper ballot, by show of hands. */
export type DeskBallotKind = 'desk' | 'paper' | 'show_of_hands'

export interface DeskRefusal {
  unitId: string
  code: RefusalCode | 'not_present'
  message: string
}

/**
 * Staff record ballots for units present (an owner without a phone at the desk, a paper or
 * show-of-hands count entered per unit). Each ballot is cast for the person attending for its unit,
 * through the same vote service and queue as every channel (channel `desk`, the staff member as the
 * caster): eligibility, proxies, one ballot per unit, last one counts while open, nothing after close.
 * Units are grouped by attendee; a refused group does not stop the others, and every refusal is
 * named. The staff member, kind and reason are audited (never the choice: secret motions).
 */
export async function castDeskBallots(
  deps: { db: Database; votes: VoteService },
  input: {
    organizationId: string
    motionId: string
    ballots: readonly BallotInput[]
    kind: DeskBallotKind
    reason: string
    staffUserId: string
    ip: string | null
  },
): Promise<{ accepted: FastVote[]; refused: DeskRefusal[] }> {
  const { organizationId, motionId } = input
  const unitIds = [...new Set(input.ballots.map((ballot) => ballot.unitId))]
  if (unitIds.length !== input.ballots.length) {
    throw new AppError(422, 'duplicate_unit', 'One ballot per unit', { field: 'body.ballots' })
  }
  const { attendees, numbers } = await withTenant(deps.db, organizationId, async (tx) => {
    const [motion] = await tx
      .select({ assemblyId: motions.assemblyId })
      .from(motions)
      .where(and(eq(motions.id, motionId), eq(motions.organizationId, organizationId)))
    if (!motion) throw new AppError(404, 'not_found', 'No such motion')
    const present = await tx
      .select({ unitId: attendance.unitId, personId: attendance.personId })
      .from(attendance)
      .where(
        and(
          eq(attendance.organizationId, organizationId),
          eq(attendance.assemblyId, motion.assemblyId),
          inArray(attendance.unitId, unitIds),
          isPresent,
        ),
      )
    const named = await tx
      .select({ id: units.id, number: units.number })
      .from(units)
      .where(and(eq(units.organizationId, organizationId), inArray(units.id, unitIds)))
    return {
      attendees: new Map(present.map((row) => [row.unitId, row.personId])),
      numbers: new Map(named.map((row) => [row.id, row.number])),
    }
  })
  const refused: DeskRefusal[] = []
  const byPerson = new Map<string, BallotInput[]>()
  for (const ballot of input.ballots) {
    const personId = attendees.get(ballot.unitId)
    if (!numbers.has(ballot.unitId)) {
      refused.push({ unitId: ballot.unitId, code: 'not_present', message: 'No such unit in this PH' })
    } else if (!personId) {
      refused.push({
        unitId: ballot.unitId,
        code: 'not_present',
        message: `Unit ${numbers.get(ballot.unitId)} is not checked in to the assembly`,
      })
    } else {
      byPerson.set(personId, [...(byPerson.get(personId) ?? []), ballot])
    }
  }
  const accepted: FastVote[] = []
  for (const [personId, ballots] of byPerson) {
    try {
      const cast = await deps.votes.cast({
        organizationId,
        motionId,
        ballots,
        actor: { userId: input.staffUserId, personId },
        channel: 'desk',
      })
      accepted.push(...cast.votes)
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'ballots_rejected') throw error
      refused.push(...((error.details as { rejected: DeskRefusal[] }).rejected ?? []))
    }
  }
  await appendAudit(deps.db, {
    action: 'vote.desk_recorded',
    organizationId,
    actorUserId: input.staffUserId,
    subject: motionId,
    ip: input.ip,
    data: {
      kind: input.kind,
      reason: input.reason,
      units: accepted.map((vote) => vote.unitNumber),
      refused: refused.map((refusal) => ({ unitId: refusal.unitId, code: refusal.code })),
    },
  })
  return { accepted, refused }
}
