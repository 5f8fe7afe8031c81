import { and, eq, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { communicationDeliveries, communications } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import type { Mailer, MailMessage } from '../auth/mailer.ts'
import type { Bus } from '../bus/types.ts'
import { type Delivery, sendManyLogged } from '../mail/deliveries.ts'
import { type AudienceMode, loadAudience, loadChatTargets, type Recipient } from './audience.ts'
import { COMMUNICATION_TEMPLATE, type OutboundChatMessage, queueChatMessages } from './chat-outbox.ts'

export type Communication = typeof communications.$inferSelect
export type CommunicationKind = 'notice' | 'corrected_notice' | 'notice_reminder' | 'summary' | 'acta'

export interface CommunicationDeps {
  db: Database
  mailer: Mailer
  bus: Bus
}

/** What a communication says: stored as sent, emailed to each recipient, and shortened for chats. */
export interface CommunicationContent {
  subject: string
  text: string
  html: string
  /** The email to one recipient (salutation, attachments). */
  email(recipient: Recipient & { email: string }): MailMessage
  /** The chat message in the chat's language, and the parameters of the WhatsApp template. */
  chat(language: 'es' | 'en'): { text: string; params: string[] }
}

const CHAT_TEXT_LIMIT = 3500

/**
 * Records a communication about to be sent. With `trigger: 'automatic'` and kind 'summary' a second
 * call for the same assembly finds it already claimed and returns null (one automatic summary ever).
 */
export async function createCommunication(
  db: Database,
  input: {
    organizationId: string
    assemblyId: string
    kind: CommunicationKind
    trigger: 'automatic' | 'admin'
    requestedByUserId?: string | null
    content: Pick<CommunicationContent, 'subject' | 'text' | 'html'>
  },
): Promise<Communication | null> {
  return withTenant(db, input.organizationId, async (tx) => {
    const [row] = await tx
      .insert(communications)
      .values({
        organizationId: input.organizationId,
        assemblyId: input.assemblyId,
        kind: input.kind,
        trigger: input.trigger,
        requestedByUserId: input.requestedByUserId ?? null,
        subject: input.content.subject,
        text: input.content.text,
        html: input.content.html,
      })
      .onConflictDoNothing()
      .returning()
    return row ?? null
  })
}

type DeliveryRow = typeof communicationDeliveries.$inferInsert

async function insertRows(db: Database, organizationId: string, rows: DeliveryRow[]): Promise<string[]> {
  const ids: string[] = []
  for (let start = 0; start < rows.length; start += 500) {
    const chunk = rows.slice(start, start + 500)
    const inserted = await withTenant(db, organizationId, (tx) =>
      tx.insert(communicationDeliveries).values(chunk).returning({ id: communicationDeliveries.id }),
    )
    ids.push(...inserted.map((row) => row.id))
  }
  return ids
}

/**
 * Sends a recorded communication to every unit: one email per recipient with an address (each in the
 * mail log), one message per linked chat of a recipient (queued for the bots process, 'queued' until
 * it reports), and a 'no_contact' row for each unit nobody can be reached for. Every row names the
 * unit. Returns the mail deliveries, in recipient order.
 */
export async function deliverCommunication(
  deps: CommunicationDeps,
  communication: Communication,
  input: { mode: AudienceMode; content: CommunicationContent },
): Promise<{ mail: Delivery[] }> {
  const { organizationId, assemblyId, id: communicationId } = communication
  const audience = await withTenant(deps.db, organizationId, (tx) =>
    loadAudience(tx, { organizationId, assemblyId, mode: input.mode }),
  )
  const recipients = new Map<string, Recipient>()
  const unitsOf = new Map<string, { unitId: string; unitNumber: string }[]>()
  for (const unit of audience)
    for (const recipient of unit.recipients) {
      recipients.set(recipient.personId, recipient)
      unitsOf.set(recipient.personId, [...(unitsOf.get(recipient.personId) ?? []), unit])
    }
  const withEmail = [...recipients.values()].filter((r): r is Recipient & { email: string } =>
    Boolean(r.email),
  )
  const mail = await sendManyLogged(
    deps,
    withEmail.map((recipient) => ({
      organizationId,
      personId: recipient.personId,
      kind: communication.kind,
      subjectId: assemblyId,
      message: input.content.email(recipient),
    })),
  )
  const rows: DeliveryRow[] = []
  const base = { organizationId, communicationId }
  for (const [index, recipient] of withEmail.entries()) {
    const delivery = mail[index]!
    for (const unit of unitsOf.get(recipient.personId) ?? [])
      rows.push({
        ...base,
        ...unit,
        personId: recipient.personId,
        personName: recipient.fullName,
        channel: 'email',
        recipient: recipient.email,
        status: delivery.status,
        error: delivery.error,
        mailDeliveryId: delivery.id,
      })
  }
  await insertRows(deps.db, organizationId, rows)
  await queueChats(deps, communication, [...recipients.values()], unitsOf, input.content)
  const reached = await withTenant(deps.db, organizationId, (tx) =>
    tx
      .selectDistinct({ unitId: communicationDeliveries.unitId })
      .from(communicationDeliveries)
      .where(eq(communicationDeliveries.communicationId, communicationId)),
  )
  const reachedIds = new Set(reached.map((row) => row.unitId))
  await insertRows(
    deps.db,
    organizationId,
    audience
      .filter((unit) => !reachedIds.has(unit.unitId))
      .map((unit) => ({
        ...base,
        unitId: unit.unitId,
        unitNumber: unit.unitNumber,
        channel: 'none',
        status: 'no_contact',
      })),
  )
  await withTenant(deps.db, organizationId, (tx) =>
    tx
      .update(communications)
      .set({ finishedAt: sql`clock_timestamp()` })
      .where(and(eq(communications.organizationId, organizationId), eq(communications.id, communicationId))),
  )
  return { mail }
}

async function queueChats(
  deps: CommunicationDeps,
  communication: Communication,
  recipients: Recipient[],
  unitsOf: Map<string, { unitId: string; unitNumber: string }[]>,
  content: CommunicationContent,
): Promise<void> {
  const { organizationId, id: communicationId } = communication
  const links = await loadChatTargets(
    deps.db,
    recipients.flatMap((r) => (r.userId ? [r.userId] : [])),
  )
  for (const link of links) {
    const people = recipients.filter((r) => r.userId === link.userId)
    const units = new Map(
      people.flatMap((r) => (unitsOf.get(r.personId) ?? []).map((u) => [u.unitId, u] as const)),
    )
    const ids = await insertRows(
      deps.db,
      organizationId,
      [...units.values()].map((unit) => ({
        organizationId,
        communicationId,
        ...unit,
        personId: people[0]!.personId,
        personName: people[0]!.fullName,
        channel: link.channel,
        recipient: link.chatId,
        status: 'queued',
      })),
    )
    const { text, params } = content.chat(link.language)
    const message: OutboundChatMessage = {
      linkId: link.linkId,
      channel: link.channel,
      chatId: link.chatId,
      language: link.language,
      reply: { text: text.length > CHAT_TEXT_LIMIT ? `${text.slice(0, CHAT_TEXT_LIMIT - 1)}…` : text },
      template: { kind: COMMUNICATION_TEMPLATE, params },
      attempt: 0,
      notBefore: 0,
      track: { organizationId, deliveryIds: ids },
    }
    await queueChatMessages(deps.bus, [message])
  }
}
