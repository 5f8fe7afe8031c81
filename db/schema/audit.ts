import { bigserial, index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** Append-only log of security and domain events, hash-chained per installation. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    // No foreign keys: a cascade rewriting these ids would break the hash chain.
    organizationId: uuid(),
    actorUserId: uuid(),
    action: text().notNull(),
    subject: text(),
    ip: text(),
    data: jsonb(),
    previousHash: text(),
    hash: text().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.organizationId, table.at), index().on(table.action)],
)
