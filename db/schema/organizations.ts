import { pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
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
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex().on(table.slug)],
)
