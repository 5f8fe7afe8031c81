import { sql } from 'drizzle-orm'
import { index, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { assemblies } from './assemblies.ts'
import { users } from './auth.ts'
import { createdAt, id, updatedAt } from './columns.ts'
import { organizationRef, tenantTable } from './tenant-table.ts'
import { units } from './units.ts'

/**
 * One sending of something the administration tells the owners outside the meeting: the notice
 * (convocatoria), a corrected notice, a reminder, the summary of decisions (art. 71: to every unit
 * within three calendar days), the final acta. The content is kept exactly as sent.
 */
export const communications = tenantTable(
  'communications',
  {
    id: id(),
    organizationId: organizationRef(),
    assemblyId: uuid()
      .notNull()
      .references(() => assemblies.id, { onDelete: 'cascade' }),
    /** 'notice', 'corrected_notice', 'notice_reminder', 'summary', 'acta'. */
    kind: text().notNull(),
    /** 'automatic' (the scheduler) or 'admin' (sent or re-sent from the console). */
    trigger: text().notNull(),
    requestedByUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    subject: text().notNull(),
    text: text().notNull(),
    html: text().notNull(),
    createdAt: createdAt(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    index().on(table.organizationId, table.assemblyId, table.createdAt),
    // The scheduler claims an assembly's automatic summary by inserting it: once, whatever the processes.
    uniqueIndex('communications_one_automatic_summary')
      .on(table.assemblyId)
      .where(sql`${table.kind} = 'summary' and ${table.trigger} = 'automatic'`),
  ],
)

/**
 * What reached each unit: one row per unit and recipient and channel ('email', 'telegram',
 * 'whatsapp'), 'queued' until a chat message is sent, then 'accepted' or 'failed' with the error; a
 * unit with nobody to reach has one 'no_contact' row (channel 'none') until the administration records
 * a delivery by hand (channel 'paper', status 'delivered_by_hand', who and when).
 */
export const communicationDeliveries = tenantTable(
  'communication_deliveries',
  {
    id: id(),
    organizationId: organizationRef(),
    communicationId: uuid()
      .notNull()
      .references(() => communications.id, { onDelete: 'cascade' }),
    unitId: uuid().references(() => units.id, { onDelete: 'set null' }),
    /** The unit's number when sent (a unit renumbered later still reads as it was). */
    unitNumber: text().notNull(),
    personId: uuid(),
    personName: text(),
    channel: text().notNull(),
    /** The email address or chat id; null for 'none' and 'paper'. */
    recipient: text(),
    status: text().notNull(),
    error: text(),
    /** The row of mail_deliveries for an email. */
    mailDeliveryId: uuid(),
    /** Who recorded a delivery by hand, and their note (e.g. "bajo la puerta"). */
    recordedByUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    note: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [index().on(table.communicationId, table.unitNumber), index().on(table.organizationId)],
)
