import { and, asc, eq, isNull, lte } from 'drizzle-orm'
import { assemblies, noticeReminders, organizations } from '../../db/schema/index.ts'
import { withPlatformScope, withTenant } from '../../db/tenant.ts'
import { listAgendaItems } from '../assemblies/agenda.ts'
import {
  type CommunicationContent,
  type CommunicationDeps,
  createCommunication,
  deliverCommunication,
} from '../communications/deliver.ts'
import { startDrainLoop } from '../drain-loop.ts'
import { noticeContent, noticeHtml, noticeMessage } from './notice.ts'

/**
 * Sends the reminders that are due (`dueAt` ≤ now) for convened assemblies. Each row is claimed and
 * marked sent in one transaction with FOR UPDATE SKIP LOCKED, so several processes and restarts never
 * send one twice (a crash between the claim and the mail loses that reminder rather than repeating
 * it). Returns how many reminders were sent.
 */
export async function sendDueReminders(deps: CommunicationDeps, now = new Date()): Promise<number> {
  const claimed = await withPlatformScope(deps.db, async (tx) => {
    const due = await tx
      .select({
        id: noticeReminders.id,
        organizationId: noticeReminders.organizationId,
        assemblyId: noticeReminders.assemblyId,
      })
      .from(noticeReminders)
      .innerJoin(assemblies, eq(assemblies.id, noticeReminders.assemblyId))
      .where(
        and(
          isNull(noticeReminders.sentAt),
          lte(noticeReminders.dueAt, now),
          eq(assemblies.status, 'convened'),
        ),
      )
      .orderBy(asc(noticeReminders.dueAt))
      .limit(20)
      .for('update', { of: noticeReminders, skipLocked: true })
    for (const row of due)
      await tx.update(noticeReminders).set({ sentAt: now }).where(eq(noticeReminders.id, row.id))
    return due
  })
  for (const reminder of claimed) {
    const { organizationId, assemblyId } = reminder
    const agenda = await listAgendaItems(deps.db, reminder)
    const { organization, assembly } = await withTenant(deps.db, organizationId, async (tx) => {
      const [organization] = await tx.select().from(organizations).where(eq(organizations.id, organizationId))
      const [assembly] = await tx.select().from(assemblies).where(eq(assemblies.id, assemblyId))
      return { organization: organization!, assembly: assembly! }
    })
    const es = organization.language !== 'en'
    const prefix = es ? 'Recordatorio' : 'Reminder'
    const lead = es ? 'RECORDATORIO de la convocatoria.' : 'REMINDER of the notice of meeting.'
    const { subject, lines } = noticeContent({ organization, assembly, agenda, corrected: false })
    const content: CommunicationContent = {
      subject: `${prefix} — ${subject}`,
      text: [lead, ...lines].join('\n\n'),
      html: `<p><strong>${lead}</strong></p>\n${noticeHtml(organization.name, lines)}`,
      email: (person) => {
        const message = noticeMessage({
          to: person.email,
          fullName: person.fullName,
          organization,
          assembly,
          agenda,
          corrected: false,
        })
        return {
          ...message,
          subject: `${prefix} — ${message.subject}`,
          text: `${lead}\n\n${message.text}`,
          html: `<p><strong>${lead}</strong></p>\n${message.html}`,
        }
      },
      chat: () => ({
        text: `${organization.name}\n${lead}\n\n${lines.join('\n')}`,
        params: [organization.name, assembly.title, `${prefix} — ${subject}`],
      }),
    }
    const communication = await createCommunication(deps.db, {
      organizationId,
      assemblyId,
      kind: 'notice_reminder',
      trigger: 'automatic',
      content,
    })
    // An owner whose every unit already has an active proxy gets no reminder (mode 'reminder').
    await deliverCommunication(deps, communication!, { mode: 'reminder', content })
  }
  return claimed.length
}

/** Runs sendDueReminders every `intervalMs` (default one minute) until stopped; errors are logged. */
export function startReminderScheduler(
  deps: CommunicationDeps & {
    log: { error(message: string, data?: Record<string, unknown>): void }
  },
  intervalMs = 60_000,
): { stop(): void } {
  return startDrainLoop(
    () => sendDueReminders(deps),
    (error) => deps.log.error('reminders: sending failed', { error }),
    intervalMs,
  )
}
