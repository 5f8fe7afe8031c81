import { and, eq, gte, isNotNull, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { assemblies, communications, organizations } from '../../db/schema/index.ts'
import { withPlatformScope } from '../../db/tenant.ts'
import { startDrainLoop } from '../drain-loop.ts'
import { sendSummary } from './decisions.ts'
import type { CommunicationDeps } from './deliver.ts'
import { SUMMARY_DEADLINE_DAYS } from './summary.ts'

/**
 * Sends the automatic summary of every assembly closed at least its PH's `summaryDelayHours` ago
 * (default 0: as soon as it closes) and still within the legal three days plus that delay, that has
 * none yet. The insert of the communication claims it (a unique index), so several processes and
 * restarts never send it twice. Returns how many summaries were sent.
 */
export async function sendDueSummaries(
  deps: CommunicationDeps & { publicUrl: string },
  now = new Date(),
): Promise<number> {
  const due = await withPlatformScope(deps.db, (tx: Database) =>
    tx
      .select({ organizationId: assemblies.organizationId, assemblyId: assemblies.id })
      .from(assemblies)
      .innerJoin(organizations, eq(organizations.id, assemblies.organizationId))
      .where(
        and(
          eq(assemblies.status, 'closed'),
          isNotNull(assemblies.record),
          sql`${assemblies.endedAt} + make_interval(hours => ${organizations.summaryDelayHours}) <= ${now.toISOString()}::timestamptz`,
          // Assemblies closed long before this feature existed are not written to out of the blue.
          gte(
            assemblies.endedAt,
            sql`${now.toISOString()}::timestamptz - make_interval(days => ${SUMMARY_DEADLINE_DAYS}, hours => ${organizations.summaryDelayHours})`,
          ),
          sql`not exists (select 1 from ${communications} where ${communications.assemblyId} = ${assemblies.id}
            and ${communications.kind} = 'summary' and ${communications.trigger} = 'automatic')`,
        ),
      )
      .limit(20),
  )
  let sent = 0
  for (const row of due) {
    const started = await sendSummary(deps, { ...row, trigger: 'automatic', publicUrl: deps.publicUrl })
    if (!started) continue
    await started.done
    sent += 1
  }
  return sent
}

/** Runs sendDueSummaries every `intervalMs` (default one minute) until stopped; errors are logged. */
export function startSummaryScheduler(
  deps: CommunicationDeps & {
    publicUrl: string
    log: { error(message: string, data?: Record<string, unknown>): void }
  },
  intervalMs = 60_000,
): { stop(): void } {
  return startDrainLoop(
    () => sendDueSummaries(deps),
    (error) => deps.log.error('summary of decisions: sending failed', { error }),
    intervalMs,
  )
}
