import { and, desc, eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { assemblies, communications, organizations } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { loadFrozenActa } from '../acta/record.ts'
import { notFound } from '../ph/errors.ts'
import { actaReadyToSend } from './decisions.ts'
import { assemblyCommunications } from './report.ts'
import { summaryDeadline } from './summary.ts'

/** Where an assembly stands on what must be sent after it: the art. 71 deadline and the acta. */
export async function communicationsOverview(
  db: Database,
  input: { organizationId: string; assemblyId: string },
) {
  return withTenant(db, input.organizationId, async (tx) => {
    const [row] = await tx
      .select({
        status: assemblies.status,
        actaStatus: assemblies.actaStatus,
        endedAt: assemblies.endedAt,
        delayHours: organizations.summaryDelayHours,
      })
      .from(assemblies)
      .innerJoin(organizations, eq(organizations.id, assemblies.organizationId))
      .where(and(eq(assemblies.organizationId, input.organizationId), eq(assemblies.id, input.assemblyId)))
    if (!row) throw notFound('Assembly')
    const frozen = await loadFrozenActa(tx, input)
    const sent = await latestSent(tx, input)
    const closedAt = row.status === 'closed' ? row.endedAt : null
    return {
      status: row.status,
      closedAt,
      summaryDelayHours: row.delayHours,
      /** When the scheduler sends the summary by itself. */
      summaryScheduledAt: closedAt ? new Date(closedAt.getTime() + row.delayHours * 3_600_000) : null,
      /** Art. 71: the summary must reach every unit within three calendar days of the close. */
      summaryDeadline: closedAt ? summaryDeadline(closedAt) : null,
      summarySentAt: sent.summary?.createdAt ?? null,
      actaReady: actaReadyToSend(row, frozen),
      actaSentAt: sent.acta?.createdAt ?? null,
    }
  })
}

async function latestSent(tx: Database, input: { organizationId: string; assemblyId: string }) {
  const rows = await tx
    .select()
    .from(communications)
    .where(assemblyCommunications(input, inArray(communications.kind, ['summary', 'acta'])))
    .orderBy(desc(communications.createdAt))
  return { summary: rows.find((r) => r.kind === 'summary'), acta: rows.find((r) => r.kind === 'acta') }
}

/**
 * What the owners may read on their home once it was sent: the latest summary of the decisions (as
 * sent) and whether the acta was sent (then they read it in full). Errors: 404 (unknown assembly).
 */
export async function publishedToOwners(db: Database, input: { organizationId: string; assemblyId: string }) {
  return withTenant(db, input.organizationId, async (tx) => {
    const [assembly] = await tx
      .select({ id: assemblies.id })
      .from(assemblies)
      .where(and(eq(assemblies.organizationId, input.organizationId), eq(assemblies.id, input.assemblyId)))
    if (!assembly) throw notFound('Assembly')
    const sent = await latestSent(tx, input)
    return {
      summary: sent.summary
        ? { sentAt: sent.summary.createdAt, subject: sent.summary.subject, text: sent.summary.text }
        : null,
      acta: sent.acta ? { sentAt: sent.acta.createdAt } : null,
    }
  })
}
