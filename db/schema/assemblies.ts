import { sql } from 'drizzle-orm'
import {
  type AnyPgColumn,
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import type { QuorumRule } from '../../core/rules/types.ts'
import { users } from './auth.ts'
import { coefficient, createdAt, id, updatedAt } from './columns.ts'
import { organizationRef, tenantTable } from './tenant-table.ts'
import { people, units } from './units.ts'

export const assemblyKind = pgEnum('assembly_kind', ['ordinary', 'extraordinary'])
export const assemblyModality = pgEnum('assembly_modality', ['in_person', 'remote', 'mixed'])
export const assemblyStatus = pgEnum('assembly_status', [
  'draft',
  'convened',
  'in_progress',
  'suspended',
  'closed',
  'cancelled',
])
export const meetingCall = pgEnum('meeting_call', ['first', 'second'])
/** The acta's life after the close: draft → reviewed (by the administration) → final (both officers signed). */
export const actaStatus = pgEnum('acta_status', ['draft', 'reviewed', 'final'])

export const assemblies = tenantTable(
  'assemblies',
  {
    id: id(),
    organizationId: organizationRef(),
    /** Acta number, sequential per PH. */
    number: integer().notNull(),
    title: text().notNull(),
    kind: assemblyKind().notNull(),
    modality: assemblyModality().notNull(),
    location: text(),
    meetingUrl: text(),
    firstCallAt: timestamp({ withTimezone: true }).notNull(),
    secondCallAt: timestamp({ withTimezone: true }),
    currentCall: meetingCall().notNull().default('first'),
    status: assemblyStatus().notNull().default('draft'),
    quorumRule: jsonb().$type<QuorumRule>().notNull(),
    /** Who convened the meeting and the text of the call, transcribed into the acta (art. 71.3). */
    convenedBy: text(),
    /** Position of who convenes (e.g. Presidente de la Junta Directiva), required by the notice. */
    convenerPosition: text(),
    callText: text(),
    /** Date of the notice: set when the assembly is convened. */
    noticedAt: timestamp({ withTimezone: true }),
    /** Why the administrator convened outside the PH's notice window (audited); null when inside. */
    noticeWindowOverride: text(),
    presidentName: text(),
    secretaryName: text(),
    /** How president and secretary were chosen (art. 71.6). */
    officersElection: text(),
    maxProxiesPerHolder: integer(),
    /** The agenda item being discussed now (the administrator moves it; owners and the projector follow). */
    currentAgendaItemId: uuid().references((): AnyPgColumn => agendaItems.id, { onDelete: 'set null' }),
    startedAt: timestamp({ withTimezone: true }),
    endedAt: timestamp({ withTimezone: true }),
    /** Everything the acta shows, frozen when the assembly closes (later roster changes never alter it). */
    record: jsonb().$type<Record<string, unknown>>(),
    /** Null until the close freezes the record; 'final' makes the record immutable (a trigger enforces it). */
    actaStatus: actaStatus(),
    actaReviewedAt: timestamp({ withTimezone: true }),
    actaReviewedByUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (table) => [
    uniqueIndex().on(table.organizationId, table.number),
    index().on(table.organizationId, table.status),
  ],
)

/** Start, suspension, restart, call changes and end: the times the acta must list (art. 71.9). */
export const assemblyEvents = tenantTable(
  'assembly_events',
  {
    id: id(),
    organizationId: organizationRef(),
    assemblyId: uuid()
      .notNull()
      .references(() => assemblies.id, { onDelete: 'cascade' }),
    kind: text().notNull(),
    note: text(),
    actorUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.assemblyId, table.at)],
)

export const agendaItems = tenantTable(
  'agenda_items',
  {
    id: id(),
    organizationId: organizationRef(),
    assemblyId: uuid()
      .notNull()
      .references(() => assemblies.id, { onDelete: 'cascade' }),
    position: integer().notNull(),
    title: text().notNull(),
    description: text(),
    /** Minutes of the discussion, for the acta (art. 71.7). */
    notes: text(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex().on(table.assemblyId, table.position)],
)

/**
 * 'pending': an owner-filed proxy awaiting the administrator's approval; 'refused': the administrator
 * did not approve it (the reason in `revokedReason`); it never counts. Rows refused before that status
 * existed are 'revoked' with `decidedAt` set and no `revokedAt` (the API shows them as 'refused' too).
 */
export const proxyStatus = pgEnum('proxy_status', ['active', 'revoked', 'pending', 'refused'])

/** A poder: the grantor unit is represented by the holder (who may be a non-owner). */
export const proxies = tenantTable(
  'proxies',
  {
    id: id(),
    organizationId: organizationRef(),
    assemblyId: uuid()
      .notNull()
      .references(() => assemblies.id, { onDelete: 'cascade' }),
    grantorUnitId: uuid()
      .notNull()
      .references(() => units.id, { onDelete: 'restrict' }),
    holderPersonId: uuid()
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    documentPath: text(),
    validFrom: timestamp({ withTimezone: true }),
    validUntil: timestamp({ withTimezone: true }),
    status: proxyStatus().notNull().default('active'),
    revokedAt: timestamp({ withTimezone: true }),
    revokedReason: text(),
    /** Directed proxy: the option key the holder must vote, by motion id (null: free to choose). */
    instructions: jsonb().$type<Record<string, string>>(),
    /** Filed by the owner from their home (not keyed in by the administration). */
    filedByOwner: boolean().notNull().default(false),
    decidedAt: timestamp({ withTimezone: true }),
    decidedByUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdByUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (table) => [
    // A proxy awaiting approval also holds the unit's place: approving it cannot create a second.
    uniqueIndex('proxies_one_active_per_unit')
      .on(table.assemblyId, table.grantorUnitId)
      // Active, or awaiting a decision (a refused proxy is decided). Written without naming 'refused':
      // a value added to an enum cannot be used in the transaction that adds it (migrations run in one).
      .where(
        sql`${table.status} = 'active' or (${table.status} <> 'revoked' and ${table.decidedAt} is null)`,
      ),
    index().on(table.assemblyId, table.holderPersonId),
  ],
)

export const attendanceMode = pgEnum('attendance_mode', ['in_person', 'remote'])

/** Check-in/out of a unit; at most one open attendance per unit and assembly. */
export const attendance = tenantTable(
  'attendance',
  {
    id: id(),
    organizationId: organizationRef(),
    assemblyId: uuid()
      .notNull()
      .references(() => assemblies.id, { onDelete: 'cascade' }),
    unitId: uuid()
      .notNull()
      .references(() => units.id, { onDelete: 'restrict' }),
    /** Who is attending for the unit: the owner, or the proxy holder. */
    personId: uuid().references(() => people.id, { onDelete: 'set null' }),
    proxyId: uuid().references(() => proxies.id, { onDelete: 'set null' }),
    mode: attendanceMode().notNull(),
    checkedInAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    checkedOutAt: timestamp({ withTimezone: true }),
    checkedInByUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
  },
  (table) => [
    uniqueIndex('attendance_one_open_per_unit')
      .on(table.assemblyId, table.unitId)
      .where(sql`${table.checkedOutAt} is null`),
    index().on(table.assemblyId),
  ],
)

/** Quorum over time, recorded on every attendance change (needed for the acta). */
export const quorumLog = tenantTable(
  'quorum_log',
  {
    id: id(),
    organizationId: organizationRef(),
    assemblyId: uuid()
      .notNull()
      .references(() => assemblies.id, { onDelete: 'cascade' }),
    call: meetingCall().notNull(),
    presentCoefficient: coefficient().notNull(),
    totalCoefficient: coefficient().notNull(),
    presentUnits: integer().notNull(),
    totalUnits: integer().notNull(),
    inPersonUnits: integer().notNull().default(0),
    remoteUnits: integer().notNull().default(0),
    presentOwners: integer().notNull().default(0),
    totalOwners: integer().notNull().default(0),
    reached: boolean().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.assemblyId, table.at)],
)

/**
 * The transcription of every notice of meeting sent (art. 71.3): the first notice and each corrected
 * one, exactly as emailed (subject, text, HTML) with the time it went out. The acta reads the rows.
 */
export const assemblyNotices = tenantTable(
  'assembly_notices',
  {
    id: id(),
    organizationId: organizationRef(),
    assemblyId: uuid()
      .notNull()
      .references(() => assemblies.id, { onDelete: 'cascade' }),
    /** 'notice' or 'corrected_notice'. */
    kind: text().notNull(),
    /** What changed for a corrected notice (field names), empty for the first. */
    changed: jsonb().$type<string[]>().notNull().default([]),
    subject: text().notNull(),
    text: text().notNull(),
    html: text().notNull(),
    sentAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index().on(table.assemblyId, table.sentAt)],
)

/**
 * A reminder of the notice, due `daysBefore` days before the first call, scheduled at convening.
 * `sentAt` is set when a sender claims it (FOR UPDATE SKIP LOCKED): each goes out once, whatever the
 * number of processes or restarts.
 */
export const noticeReminders = tenantTable(
  'notice_reminders',
  {
    id: id(),
    organizationId: organizationRef(),
    assemblyId: uuid()
      .notNull()
      .references(() => assemblies.id, { onDelete: 'cascade' }),
    daysBefore: integer().notNull(),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    sentAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex().on(table.assemblyId, table.daysBefore),
    index('notice_reminders_due').on(table.dueAt).where(sql`${table.sentAt} is null`),
  ],
)
