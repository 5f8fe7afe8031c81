import { boolean, index, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { users } from './auth.ts'
import { createdAt, id } from './columns.ts'

/*
 * Chat identities belong to platform users, not to a PH: one Telegram or WhatsApp chat speaks for one
 * user across every PH where that user is an owner, a proxy holder or staff. Hence no organization_id
 * and no row-level security; every query filters by user or by chat.
 */

export const chatChannel = pgEnum('chat_channel', ['telegram', 'whatsapp'])

/** A chat (Telegram chat id, WhatsApp wa_id) proven to belong to a user. */
export const chatLinks = pgTable(
  'chat_links',
  {
    id: id(),
    channel: chatChannel().notNull(),
    /** Where replies and notifications go: the Telegram chat id, or the WhatsApp number (wa_id). */
    externalChatId: text().notNull(),
    /** The Telegram user id that linked the chat; null on WhatsApp, where chat and user coincide. */
    externalUserId: text(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** 'code' (a one-time code from the web) or 'email' (an email code proven inside the chat). */
    linkedVia: text().notNull(),
    linkedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** No assembly notifications while set (answers to questions still arrive). */
    muted: boolean().notNull().default(false),
    language: text().notNull().default('es'),
  },
  (table) => [uniqueIndex().on(table.channel, table.externalChatId), index().on(table.userId)],
)

/** One-time codes a signed-in user pastes into a chat to link it; only the SHA-256 is stored. */
export const chatLinkCodes = pgTable(
  'chat_link_codes',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    consumedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex().on(table.codeHash), index().on(table.userId), index().on(table.expiresAt)],
)
