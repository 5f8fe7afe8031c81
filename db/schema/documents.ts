import { index, integer, text, uuid } from 'drizzle-orm/pg-core'
import { agendaItems, assemblies } from './assemblies.ts'
import { users } from './auth.ts'
import { createdAt, id } from './columns.ts'
import { organizationRef, tenantTable } from './tenant-table.ts'

/**
 * A document owners read before and during an assembly (financial statements, budget, quotes),
 * attached to the assembly or to one of its agenda items. The bytes live in the document storage.
 */
export const assemblyDocuments = tenantTable(
  'assembly_documents',
  {
    id: id(),
    organizationId: organizationRef(),
    assemblyId: uuid()
      .notNull()
      .references(() => assemblies.id, { onDelete: 'cascade' }),
    agendaItemId: uuid().references(() => agendaItems.id, { onDelete: 'set null' }),
    title: text().notNull(),
    fileName: text().notNull(),
    contentType: text().notNull(),
    sizeBytes: integer().notNull(),
    storageKey: text().notNull(),
    createdByUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (table) => [index().on(table.organizationId, table.assemblyId)],
)
