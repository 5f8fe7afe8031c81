import { type Static, Type } from '@sinclair/typebox'
import { and, desc, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { mailDeliveries } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { MailError, type Mailer, type MailMessage } from '../auth/mailer.ts'
import { Nullable, Uuid } from '../schemas.ts'

export type Delivery = typeof mailDeliveries.$inferSelect

/** What a bulk send answers: how many the relay accepted, the failures, and who had no email. */
export const SendReportSchema = (skippedDescription?: string) =>
  Type.Object({
    sent: Type.Integer(),
    failed: Type.Array(
      Type.Object({ personId: Nullable(Uuid), recipient: Type.String(), error: Nullable(Type.String()) }),
    ),
    skipped: Type.Array(
      Type.Object({ personId: Uuid, fullName: Type.String() }),
      skippedDescription ? { description: skippedDescription } : {},
    ),
  })
export type SendReport = Static<ReturnType<typeof SendReportSchema>>

export function sendReport(result: { deliveries: Delivery[]; skipped: SendReport['skipped'] }): SendReport {
  return {
    sent: result.deliveries.filter((row) => row.status === 'accepted').length,
    failed: result.deliveries
      .filter((row) => row.status === 'failed')
      .map((row) => ({ personId: row.personId, recipient: row.recipient, error: row.error })),
    skipped: result.skipped,
  }
}

export interface DeliveryInput {
  organizationId: string
  personId?: string | null
  /** 'invitation', 'notice', 'corrected_notice', 'reminder', 'proxy_filed', … */
  kind: string
  subjectId?: string | null
  message: MailMessage
}

/**
 * Sends one message to a person of a PH and records the outcome (accepted by the relay, or failed
 * with its error) in the PH's delivery log. Never throws for a refused message: the row says so.
 */
export async function sendLogged(
  deps: { db: Database; mailer: Mailer },
  input: DeliveryInput,
): Promise<Delivery> {
  let status: 'accepted' | 'failed' = 'accepted'
  let error: string | null = null
  let attempts = 1
  let messageId: string | null = null
  try {
    const outcome = await deps.mailer.send(input.message)
    attempts = outcome.attempts
    messageId = outcome.messageId
  } catch (failure) {
    status = 'failed'
    error = failure instanceof Error ? failure.message : String(failure)
    if (failure instanceof MailError) attempts = failure.attempts
  }
  return withTenant(deps.db, input.organizationId, async (tx) => {
    const [row] = await tx
      .insert(mailDeliveries)
      .values({
        organizationId: input.organizationId,
        personId: input.personId ?? null,
        kind: input.kind,
        subjectId: input.subjectId ?? null,
        recipient: input.message.to,
        subject: input.message.subject,
        status,
        error,
        attempts,
        messageId,
        finishedAt: new Date(),
      })
      .returning()
    return row!
  })
}

/**
 * Sends many messages with a few in flight at once (the pooled transport reuses its connections)
 * and returns every delivery row, in the order given.
 */
export async function sendManyLogged(
  deps: { db: Database; mailer: Mailer },
  inputs: readonly DeliveryInput[],
  concurrency = 5,
): Promise<Delivery[]> {
  const results: Delivery[] = new Array(inputs.length)
  let next = 0
  const worker = async () => {
    while (next < inputs.length) {
      const index = next++
      results[index] = await sendLogged(deps, inputs[index]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker))
  return results
}

/** The PH's delivery log, newest first; optionally only what concerns one assembly or proxy. */
export async function listDeliveries(
  db: Database,
  input: { organizationId: string; subjectId?: string; limit?: number },
): Promise<Delivery[]> {
  return withTenant(db, input.organizationId, (tx) =>
    tx
      .select()
      .from(mailDeliveries)
      .where(
        and(
          eq(mailDeliveries.organizationId, input.organizationId),
          input.subjectId ? eq(mailDeliveries.subjectId, input.subjectId) : undefined,
        ),
      )
      .orderBy(desc(mailDeliveries.createdAt))
      .limit(Math.min(Math.max(input.limit ?? 200, 1), 5000)),
  )
}
