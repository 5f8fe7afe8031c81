import { sql } from 'drizzle-orm'
import { index, pgEnum, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core'
import { agendaItems, assemblies } from './assemblies.ts'
import { id } from './columns.ts'
import { organizationRef, tenantTable } from './tenant-table.ts'
import { people } from './units.ts'

/** waiting → speaking → done; or waiting → withdrawn (by the owner) / skipped (by the administrator). */
export const speakerStatus = pgEnum('speaker_status', ['waiting', 'speaking', 'done', 'withdrawn', 'skipped'])

/** A request to speak ("pedir la palabra") on one agenda item; the acta lists who spoke on each item. */
export const speakerRequests = tenantTable(
  'speaker_requests',
  {
    id: id(),
    organizationId: organizationRef(),
    assemblyId: uuid()
      .notNull()
      .references(() => assemblies.id, { onDelete: 'cascade' }),
    agendaItemId: uuid()
      .notNull()
      .references(() => agendaItems.id, { onDelete: 'cascade' }),
    personId: uuid()
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    /** The units the person attended for when asking (the projector and the acta name them). */
    unitNumbers: text().array().notNull(),
    status: speakerStatus().notNull().default('waiting'),
    requestedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
  },
  (table) => [
    // One open request per person and item: asking twice is refused, not queued twice.
    uniqueIndex('speaker_requests_one_open_per_person')
      .on(table.agendaItemId, table.personId)
      .where(sql`${table.status} in ('waiting', 'speaking')`),
    // One speaker at a time in the whole meeting.
    uniqueIndex('speaker_requests_one_speaking')
      .on(table.assemblyId)
      .where(sql`${table.status} = 'speaking'`),
    index().on(table.assemblyId, table.agendaItemId, table.requestedAt),
  ],
)
