import { and, asc, eq, isNull, lte, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import {
  assemblies,
  noticeReminders,
  organizations,
  ownerships,
  people,
  proxies,
} from '../../db/schema/index.ts'
import { withPlatformScope, withTenant } from '../../db/tenant.ts'
import { listAgendaItems } from '../assemblies/agenda.ts'
import type { Mailer } from '../auth/mailer.ts'
import { sendManyLogged } from './deliveries.ts'
import { noticeMessage } from './notice.ts'

type Person = { id: string; fullName: string; email: string | null }

/**
 * Who gets a reminder: every proxy holder, and every owner except those whose every unit already has
 * an active proxy for the assembly (they have arranged their representation).
 */
async function reminderRecipients(
  tx: Database,
  organizationId: string,
  assemblyId: string,
): Promise<Person[]> {
  const owned = await tx
    .select({
      id: people.id,
      fullName: people.fullName,
      email: people.email,
      unitId: ownerships.unitId,
      proxied: sql<boolean>`exists (select 1 from ${proxies} where ${proxies.assemblyId} = ${assemblyId}
        and ${proxies.grantorUnitId} = ${ownerships.unitId} and ${proxies.status} = 'active')`,
    })
    .from(people)
    .innerJoin(ownerships, eq(ownerships.personId, people.id))
    .where(eq(people.organizationId, organizationId))
  const owners = new Map<string, Person & { open: boolean }>()
  for (const row of owned) {
    const seen = owners.get(row.id) ?? { id: row.id, fullName: row.fullName, email: row.email, open: false }
    seen.open ||= !row.proxied
    owners.set(row.id, seen)
  }
  const holders = await tx
    .selectDistinct({ id: people.id, fullName: people.fullName, email: people.email })
    .from(people)
    .innerJoin(proxies, eq(proxies.holderPersonId, people.id))
    .where(
      and(
        eq(people.organizationId, organizationId),
        eq(proxies.assemblyId, assemblyId),
        eq(proxies.status, 'active'),
      ),
    )
  const byId = new Map<string, Person>()
  for (const owner of owners.values()) if (owner.open) byId.set(owner.id, owner)
  for (const holder of holders) byId.set(holder.id, holder)
  return [...byId.values()].filter((person) => person.email)
}

/**
 * Sends the reminders that are due (`dueAt` ≤ now) for convened assemblies. Each row is claimed and
 * marked sent in one transaction with FOR UPDATE SKIP LOCKED, so several processes and restarts never
 * send one twice (a crash between the claim and the mail loses that reminder rather than repeating
 * it). Returns how many reminders were sent.
 */
export async function sendDueReminders(
  deps: { db: Database; mailer: Mailer },
  now = new Date(),
): Promise<number> {
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
    const { organization, assembly, recipients } = await withTenant(deps.db, organizationId, async (tx) => {
      const [organization] = await tx.select().from(organizations).where(eq(organizations.id, organizationId))
      const [assembly] = await tx.select().from(assemblies).where(eq(assemblies.id, assemblyId))
      return {
        organization: organization!,
        assembly: assembly!,
        recipients: await reminderRecipients(tx, organizationId, assemblyId),
      }
    })
    const es = organization.language !== 'en'
    await sendManyLogged(
      deps,
      recipients.map((person) => {
        const message = noticeMessage({
          to: person.email!,
          fullName: person.fullName,
          organization,
          assembly,
          agenda,
          corrected: false,
        })
        const prefix = es ? 'Recordatorio' : 'Reminder'
        const lead = es ? 'RECORDATORIO de la convocatoria.' : 'REMINDER of the notice of meeting.'
        return {
          organizationId,
          personId: person.id,
          kind: 'notice_reminder',
          subjectId: assemblyId,
          message: {
            ...message,
            subject: `${prefix} — ${message.subject}`,
            text: `${lead}\n\n${message.text}`,
            html: `<p><strong>${lead}</strong></p>\n${message.html}`,
          },
        }
      }),
    )
  }
  return claimed.length
}

/** Runs sendDueReminders every `intervalMs` (default one minute) until stopped; errors are logged. */
export function startReminderScheduler(
  deps: {
    db: Database
    mailer: Mailer
    log: { error(message: string, data?: Record<string, unknown>): void }
  },
  intervalMs = 60_000,
): { stop(): void } {
  let running = false
  const tick = async () => {
    if (running) return
    running = true
    try {
      while ((await sendDueReminders(deps)) > 0) {}
    } catch (error) {
      deps.log.error('reminders: sending failed', { error })
    } finally {
      running = false
    }
  }
  const timer = setInterval(() => void tick(), intervalMs)
  void tick()
  return { stop: () => clearInterval(timer) }
}
