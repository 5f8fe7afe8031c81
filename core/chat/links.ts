import { and, asc, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { chatLinks } from '../../db/schema/index.ts'
import { appendAudit } from '../auth/audit.ts'
import type { Lang } from './types.ts'

export type ChatLink = typeof chatLinks.$inferSelect
export type LinkedChannel = ChatLink['channel']

/** A link addressed from the chat itself, or from the web by its owner (another user's id finds nothing). */
export type LinkTarget = { channel: LinkedChannel; chatId: string } | { userId: string; linkId: string }

function whereTarget(target: LinkTarget) {
  return 'chatId' in target
    ? and(eq(chatLinks.channel, target.channel), eq(chatLinks.externalChatId, target.chatId))
    : and(eq(chatLinks.userId, target.userId), eq(chatLinks.id, target.linkId))
}

/** The link of a chat, or null when the chat is not linked. */
export async function findChatLink(
  db: Database,
  channel: LinkedChannel,
  chatId: string,
): Promise<ChatLink | null> {
  const [link] = await db
    .select()
    .from(chatLinks)
    .where(and(eq(chatLinks.channel, channel), eq(chatLinks.externalChatId, chatId)))
  return link ?? null
}

/**
 * Links a chat to a user (a proven code or email). A chat already linked to someone else now speaks
 * for the new user: whoever holds the chat proved who they are. Notifications start unmuted.
 */
export async function linkChat(
  db: Database,
  input: {
    channel: LinkedChannel
    chatId: string
    externalUserId: string | null
    userId: string
    via: 'code' | 'email'
    language: Lang
  },
): Promise<ChatLink> {
  const values = {
    userId: input.userId,
    externalUserId: input.externalUserId,
    linkedVia: input.via,
    linkedAt: new Date(),
    muted: false,
    language: input.language,
  }
  const [link] = await db
    .insert(chatLinks)
    .values({ channel: input.channel, externalChatId: input.chatId, ...values })
    .onConflictDoUpdate({ target: [chatLinks.channel, chatLinks.externalChatId], set: values })
    .returning()
  await appendAudit(db, {
    action: 'chat.linked',
    actorUserId: input.userId,
    subject: link!.id,
    data: { channel: input.channel, via: input.via },
  })
  return link!
}

/** Removes a link, from the chat itself (`chatId`) or from the web (`userId` + `linkId`); false when absent. */
export async function unlinkChat(db: Database, target: LinkTarget): Promise<boolean> {
  const [removed] = await db.delete(chatLinks).where(whereTarget(target)).returning()
  if (!removed) return false
  await appendAudit(db, {
    action: 'chat.unlinked',
    actorUserId: removed.userId,
    subject: removed.id,
    data: { channel: removed.channel, from: 'chatId' in target ? 'chat' : 'web' },
  })
  return true
}

/** The user's linked chats, oldest first. */
export function listUserLinks(db: Database, userId: string): Promise<ChatLink[]> {
  return db.select().from(chatLinks).where(eq(chatLinks.userId, userId)).orderBy(asc(chatLinks.linkedAt))
}

/** Changes mute or language of a link, addressed by chat or by the owning user; null when absent. */
export async function updateChatLink(
  db: Database,
  target: LinkTarget,
  changes: { muted?: boolean; language?: Lang },
): Promise<ChatLink | null> {
  const where = whereTarget(target)
  if (changes.muted === undefined && changes.language === undefined) {
    const [current] = await db.select().from(chatLinks).where(where)
    return current ?? null
  }
  const [updated] = await db.update(chatLinks).set(changes).where(where).returning()
  return updated ?? null
}

/** A chat id safe to show: the last digits only ("…4821"). */
export function maskChatId(chatId: string): string {
  return `…${chatId.slice(-4)}`
}
