import { eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { organizations, people } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { getBoard } from '../assemblies/board.ts'
import { appendAudit } from '../auth/audit.ts'
import type { Mailer, MailMessage } from '../auth/mailer.ts'
import { paragraphsHtml } from '../communications/email-html.ts'
import { AppError } from '../errors.ts'
import type { Actor } from '../ph/types.ts'
import { type Delivery, sendManyLogged } from './deliveries.ts'

/** The reminder in the PH's language: which motion is open, for which units, and where to vote. */
export function voteReminderMessage(input: {
  language: string
  organizationName: string
  motionTitle: string
  units: string[]
  fullName: string
  email: string
  voteUrl: string
}): MailMessage {
  const es = input.language !== 'en'
  const units = input.units.join(', ')
  const paragraphs = es
    ? [
        `Hola ${input.fullName}:`,
        `La votación «${input.motionTitle}» está abierta y aún no hay voto de ${input.units.length > 1 ? 'las unidades' : 'la unidad'} ${units}.`,
        `Puede votar ahora en ${input.voteUrl}`,
      ]
    : [
        `Hello ${input.fullName},`,
        `The vote "${input.motionTitle}" is open and there is no ballot yet for unit${input.units.length > 1 ? 's' : ''} ${units}.`,
        `You can vote now at ${input.voteUrl}`,
      ]
  const subject = es
    ? `${input.organizationName}: falta su voto en «${input.motionTitle}»`
    : `${input.organizationName}: your vote on "${input.motionTitle}" is missing`
  const html = paragraphsHtml(paragraphs, input.voteUrl)
  return { to: input.email, subject, text: paragraphs.join('\n\n'), html }
}

/**
 * Emails everyone present for a unit that has not voted on the open motion (one message per person,
 * listing their units), logged in the delivery log as `vote_reminder`. People without an email are
 * returned as skipped. Throws 409 `no_open_motion` when no motion is open.
 */
export async function remindPresentNonVoters(
  deps: { db: Database; mailer: Mailer; publicUrl: string },
  input: {
    organizationId: string
    assemblyId: string
    actor: Actor
    alsoVoted?: (motionId: string) => Promise<Iterable<string>>
  },
): Promise<{
  deliveries: Delivery[]
  skipped: Array<{ personId: string; fullName: string }>
  /** The open motion, and each person reminded → their units that have not voted (for the chats too). */
  motionId: string
  units: Record<string, string[]>
}> {
  const { organizationId, assemblyId } = input
  const board = await getBoard(deps.db, { organizationId, assemblyId }, input.alsoVoted)
  const motion = board.motion
  if (!motion) throw new AppError(409, 'no_open_motion', 'No motion is open')
  const unitsByPerson = new Map<string, string[]>()
  for (const unit of board.units) {
    if (unit.presence === 'absent' || unit.voted || !unit.attendeePersonId) continue
    unitsByPerson.set(unit.attendeePersonId, [
      ...(unitsByPerson.get(unit.attendeePersonId) ?? []),
      unit.number,
    ])
  }
  const { organization, recipients } = await withTenant(deps.db, organizationId, async (tx) => {
    const [organization] = await tx
      .select({ name: organizations.name, language: organizations.language })
      .from(organizations)
      .where(eq(organizations.id, organizationId))
    const recipients =
      unitsByPerson.size === 0
        ? []
        : await tx
            .select({ id: people.id, fullName: people.fullName, email: people.email })
            .from(people)
            .where(inArray(people.id, [...unitsByPerson.keys()]))
    return { organization: organization!, recipients }
  })
  const voteUrl = new URL(
    `/vote?organization=${encodeURIComponent(organizationId)}&assembly=${encodeURIComponent(assemblyId)}`,
    deps.publicUrl,
  ).toString()
  const deliveries = await sendManyLogged(
    deps,
    recipients
      .filter((person) => person.email)
      .map((person) => ({
        organizationId,
        personId: person.id,
        kind: 'vote_reminder',
        subjectId: motion.id,
        message: voteReminderMessage({
          language: organization.language,
          organizationName: organization.name,
          motionTitle: motion.title,
          units: unitsByPerson.get(person.id) ?? [],
          fullName: person.fullName,
          email: person.email!,
          voteUrl,
        }),
      })),
  )
  await appendAudit(deps.db, {
    action: 'motion.vote_reminder_sent',
    organizationId,
    actorUserId: input.actor.userId,
    subject: motion.id,
    data: {
      sent: deliveries.filter((row) => row.status === 'accepted').length,
      failed: deliveries.filter((row) => row.status === 'failed').length,
    },
  })
  return {
    motionId: motion.id,
    units: Object.fromEntries(unitsByPerson),
    deliveries,
    skipped: recipients
      .filter((person) => !person.email)
      .map(({ id, fullName }) => ({ personId: id, fullName })),
  }
}
