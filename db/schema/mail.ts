import { index, integer, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import { createdAt, id } from './columns.ts'
import { organizationRef, tenantTable } from './tenant-table.ts'
import { people } from './units.ts'

/**
 * Every message the platform sends to a person of a PH (notices, reminders, invitations, proxy
 * notices) with its outcome: accepted by the relay, or failed with the relay's error. The PH's
 * administrator reads it to know who was reached.
 */
export const mailDeliveries = tenantTable(
  'mail_deliveries',
  {
    id: id(),
    organizationId: organizationRef(),
    personId: uuid().references(() => people.id, { onDelete: 'set null' }),
    /** What was sent: 'invitation', 'notice', 'corrected_notice', 'reminder', 'proxy_filed', … */
    kind: text().notNull(),
    /** The thing the message is about (an assembly, a proxy), when there is one. */
    subjectId: uuid(),
    recipient: text().notNull(),
    subject: text().notNull(),
    /** 'accepted' (the relay took it) or 'failed'. */
    status: text().notNull(),
    error: text(),
    attempts: integer().notNull().default(1),
    /** The relay's message id, to trace a complaint. */
    messageId: text(),
    createdAt: createdAt(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    index().on(table.organizationId, table.createdAt),
    index().on(table.organizationId, table.subjectId),
  ],
)
