import { and, eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { communicationDeliveries } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import type { Bus } from '../bus/types.ts'

/*
 * The stream of chat messages (Telegram, WhatsApp) the bots process drains. It lives in core because
 * the functions process queues messages too (a communication sent from the console) and a process never
 * imports another's folder. Messages that belong to a communication carry `track`: the bots process
 * writes their outcome onto the per-unit delivery rows.
 */

export const CHAT_OUTBOX_STREAM = 'bots:notifications'

export type ChatTemplateKind = 'convened' | 'started' | 'motion_opened' | 'communication'

/** The WhatsApp template of every communication (notice, reminder, summary, acta, proxy notices). */
export const COMMUNICATION_TEMPLATE: ChatTemplateKind = 'communication'

/** One message to one chat, as it travels through the stream. */
export interface OutboundChatMessage {
  linkId: string
  channel: 'telegram' | 'whatsapp'
  chatId: string
  language: 'es' | 'en'
  reply: { text: string; choices?: { id: string; label: string }[] }
  /** For WhatsApp outside the 24-hour window: an approved template of this kind with these parameters. */
  template: { kind: ChatTemplateKind; params: string[] }
  attempt: number
  /** Not sent before this time (ms since epoch): the backoff of a retry. */
  notBefore: number
  /** The communication_deliveries rows this message stands for (one per unit of the recipient). */
  track?: { organizationId: string; deliveryIds: string[] }
}

export function encodeChatMessage(message: OutboundChatMessage): Record<string, string> {
  return { v: JSON.stringify(message) }
}

export function decodeChatMessage(fields: Record<string, string>): OutboundChatMessage | null {
  try {
    return JSON.parse(fields.v ?? '') as OutboundChatMessage
  } catch {
    return null
  }
}

/** Appends messages to the outbox; the bots process sends them within each platform's limits. */
export async function queueChatMessages(bus: Bus, messages: readonly OutboundChatMessage[]): Promise<void> {
  for (const message of messages) await bus.streamAdd(CHAT_OUTBOX_STREAM, encodeChatMessage(message))
}

/** Writes a tracked chat message's final outcome onto its delivery rows (only rows still queued). */
export async function recordChatOutcome(
  db: Database,
  track: NonNullable<OutboundChatMessage['track']>,
  outcome: { status: 'accepted' | 'failed'; error?: string | null },
): Promise<void> {
  if (track.deliveryIds.length === 0) return
  await withTenant(db, track.organizationId, (tx) =>
    tx
      .update(communicationDeliveries)
      .set({ status: outcome.status, error: outcome.error ?? null })
      .where(
        and(
          eq(communicationDeliveries.organizationId, track.organizationId),
          inArray(communicationDeliveries.id, track.deliveryIds),
          eq(communicationDeliveries.status, 'queued'),
        ),
      ),
  )
}
