import { sql } from 'drizzle-orm'
import { boolean, index, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { users } from './auth.ts'
import { coefficient, createdAt, id, updatedAt } from './columns.ts'
import { organizationRef, tenantTable } from './tenant-table.ts'

/** A unit (apartment, lot): weighted by its coefficient. */
export const units = tenantTable(
  'units',
  {
    id: id(),
    organizationId: organizationRef(),
    number: text().notNull(),
    /** Finca (property registry) number. */
    finca: text(),
    coefficient: coefficient().notNull(),
    /** Al día / paz y salvo with common expenses. */
    upToDate: boolean().notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex().on(table.organizationId, table.number), index().on(table.organizationId)],
)

/**
 * A person known to one PH: an owner or a proxy holder (who may be a non-owner).
 * Linked to a platform user once they sign in with the same email.
 */
export const people = tenantTable(
  'people',
  {
    id: id(),
    organizationId: organizationRef(),
    fullName: text().notNull(),
    email: text(),
    phone: text(),
    /** Cédula or passport, used to prove identity at the desk. */
    documentId: text(),
    userId: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    index().on(table.organizationId),
    index().on(table.userId),
    index().on(table.organizationId, table.email),
    // Sign-in looks a person up by address across every PH (core/auth/otp.ts): no scan.
    index('people_email_lower_idx').on(sql`lower(${table.email})`),
  ],
)

/** Who owns which unit; co-owners name one representative who votes for the unit. */
export const ownerships = tenantTable(
  'ownerships',
  {
    id: id(),
    organizationId: organizationRef(),
    unitId: uuid()
      .notNull()
      .references(() => units.id, { onDelete: 'cascade' }),
    personId: uuid()
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    isRepresentative: boolean().notNull().default(true),
    since: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex().on(table.unitId, table.personId), index().on(table.personId)],
)
