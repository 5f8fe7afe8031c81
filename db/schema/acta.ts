import { index, integer, pgEnum, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { assemblies } from './assemblies.ts'
import { users } from './auth.ts'
import { id } from './columns.ts'
import { organizationRef, tenantTable } from './tenant-table.ts'

export const actaOfficerRole = pgEnum('acta_officer_role', ['president', 'secretary'])

/**
 * An officer's sign-off of a reviewed acta (art. 71.10): who, when, and the SHA-256 of the frozen record
 * they signed. One per role; an edit of a discussion summary before the acta is final removes them.
 */
export const actaSignOffs = tenantTable(
  'acta_sign_offs',
  {
    id: id(),
    organizationId: organizationRef(),
    assemblyId: uuid()
      .notNull()
      .references(() => assemblies.id, { onDelete: 'cascade' }),
    role: actaOfficerRole().notNull(),
    /** The officer's name as signed (the president or secretary of the meeting). */
    signerName: text().notNull(),
    /** The signed-in user who recorded the sign-off. */
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    recordHash: text().notNull(),
    signedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex().on(table.assemblyId, table.role), index().on(table.organizationId)],
)

/**
 * A final acta, chained like the result snapshots: its record's hash and the previous final acta's seal
 * hash of the same PH are covered by its own hash, so rewriting a final acta (or dropping one) shows.
 * Append-only for the application.
 */
export const actaSeals = tenantTable(
  'acta_seals',
  {
    id: id(),
    organizationId: organizationRef(),
    assemblyId: uuid()
      .notNull()
      .references(() => assemblies.id, { onDelete: 'cascade' }),
    sequence: integer().notNull(),
    recordHash: text().notNull(),
    previousHash: text(),
    hash: text().notNull(),
    sealedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (table) => [uniqueIndex().on(table.assemblyId), uniqueIndex().on(table.organizationId, table.sequence)],
)
