import { integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { createdAt, id, updatedAt } from './columns.ts'

/** A PH (propiedad horizontal): the tenant of the platform. */
export const organizations = pgTable(
  'organizations',
  {
    id: id(),
    slug: text().notNull(),
    name: text().notNull(),
    legalName: text(),
    /** Registro Único de Contribuyente or the PH's registry entry. */
    taxId: text(),
    registryNumber: text(),
    address: text(),
    timeZone: text().notNull().default('America/Panama'),
    locale: text().notNull().default('es-PA'),
    language: text().notNull().default('es'),
    /** Notice windows in calendar days before the first call (Ley 284): ordinary 10–20, urgent extraordinary 3–5. */
    noticeOrdinaryMinDays: integer().notNull().default(10),
    noticeOrdinaryMaxDays: integer().notNull().default(20),
    noticeExtraordinaryMinDays: integer().notNull().default(3),
    noticeExtraordinaryMaxDays: integer().notNull().default(5),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex().on(table.slug)],
)
