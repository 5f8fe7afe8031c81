import { sql } from 'drizzle-orm'
import { boolean, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
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
    /** Proxies filed by owners wait for an administrator's approval before they count. */
    ownerProxiesNeedApproval: boolean().notNull().default(false),
    /** Owners must file their proxy at least this many hours before the first call (art. 68: 24 h for companies). */
    ownerProxyDeadlineHours: integer().notNull().default(0),
    /**
     * Units not up to date (en mora): 'voice_no_vote' (default, the client's practice: they may speak,
     * do not vote and do not count for quorum) or 'full_vote'. Applied to every new assembly's quorum
     * and motion unless the rule says otherwise.
     */
    arrearsVoting: text().notNull().default('voice_no_vote'),
    /** Named (non-secret) motions: hide running tallies until close, as secret motions always do. */
    sealNamedResults: boolean().notNull().default(true),
    /** Notice windows in calendar days before the first call (Ley 284): ordinary 10–20, urgent extraordinary 3–5. */
    noticeOrdinaryMinDays: integer().notNull().default(10),
    noticeOrdinaryMaxDays: integer().notNull().default(20),
    noticeExtraordinaryMinDays: integer().notNull().default(3),
    noticeExtraordinaryMaxDays: integer().notNull().default(5),
    /** Reminders of the notice, in days before the first call (default 7 and 1). */
    reminderDaysBefore: integer().array().notNull().default(sql`'{7,1}'::integer[]`),
    /** Hours after the close before the summary of decisions goes out by itself (art. 71: within 3 days). */
    summaryDelayHours: integer().notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [uniqueIndex().on(table.slug)],
)
