import { and, eq, isNull, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { noticeReminders, organizations } from '../../db/schema/index.ts'
import type { Assembly } from './types.ts'

const DAY = 86_400_000

/**
 * At convening: one reminder row per day count of the PH (default 7 and 1 days before the first call)
 * whose time is still ahead. Runs in the convening transaction (`tx` carries the tenant).
 */
export async function scheduleReminders(tx: Database, assembly: Assembly, now: Date): Promise<void> {
  const [organization] = await tx
    .select({ days: organizations.reminderDaysBefore })
    .from(organizations)
    .where(eq(organizations.id, assembly.organizationId))
  const rows = [...new Set(organization?.days ?? [])]
    .map((daysBefore) => ({ daysBefore, dueAt: new Date(assembly.firstCallAt.getTime() - daysBefore * DAY) }))
    .filter((row) => row.dueAt.getTime() > now.getTime())
    .map((row) => ({ ...row, organizationId: assembly.organizationId, assemblyId: assembly.id }))
  if (rows.length > 0) await tx.insert(noticeReminders).values(rows).onConflictDoNothing()
}

/** After the first call moves: the reminders not yet sent move with it. */
export async function rescheduleReminders(tx: Database, assembly: Assembly): Promise<void> {
  await tx
    .update(noticeReminders)
    .set({
      dueAt: sql`${assembly.firstCallAt.toISOString()}::timestamptz - make_interval(days => ${noticeReminders.daysBefore})`,
    })
    .where(
      and(
        eq(noticeReminders.organizationId, assembly.organizationId),
        eq(noticeReminders.assemblyId, assembly.id),
        isNull(noticeReminders.sentAt),
      ),
    )
}
