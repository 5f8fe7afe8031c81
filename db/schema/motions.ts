import {
  boolean,
  index,
  integer,
  jsonb,
  pgEnum,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import type { MajorityRule, MotionOption } from '../../core/rules/types.ts'
import { agendaItems, assemblies, proxies } from './assemblies.ts'
import { users } from './auth.ts'
import { coefficient, createdAt, id } from './columns.ts'
import { organizationRef, tenantTable } from './tenant-table.ts'
import { people, units } from './units.ts'

export const choiceMode = pgEnum('choice_mode', ['single', 'multiple'])
export const motionStatus = pgEnum('motion_status', ['draft', 'open', 'closed'])

export const motions = tenantTable(
  'motions',
  {
    id: id(),
    organizationId: organizationRef(),
    assemblyId: uuid()
      .notNull()
      .references(() => assemblies.id, { onDelete: 'cascade' }),
    agendaItemId: uuid().references(() => agendaItems.id, { onDelete: 'set null' }),
    position: integer().notNull(),
    title: text().notNull(),
    description: text(),
    options: jsonb().$type<MotionOption[]>().notNull(),
    choiceMode: choiceMode().notNull().default('single'),
    /** Secret motions never reveal who chose what; named ones list it in the acta. */
    secret: boolean().notNull().default(false),
    majorityRule: jsonb().$type<MajorityRule>().notNull(),
    requiresQuorum: boolean().notNull().default(true),
    /**
     * An election (e.g. the Junta Directiva): how many seats are filled. Each voter chooses up to this
     * many candidates (the options); the top `seats` candidates are elected. null: not an election.
     */
    seats: integer(),
    status: motionStatus().notNull().default('draft'),
    openedAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [index().on(table.assemblyId, table.position)],
)

export const voteChannel = pgEnum('vote_channel', [
  'web',
  'websocket',
  'api',
  'desk',
  'telegram',
  'whatsapp',
  'webchat',
])

/**
 * One row per (motion, unit): a re-vote replaces the row (newest wins, by `sequence`).
 * Weight and eligibility are snapshots taken when the vote was accepted.
 */
export const votes = tenantTable(
  'votes',
  {
    motionId: uuid()
      .notNull()
      .references(() => motions.id, { onDelete: 'cascade' }),
    unitId: uuid()
      .notNull()
      .references(() => units.id, { onDelete: 'restrict' }),
    organizationId: organizationRef(),
    optionKeys: text().array().notNull(),
    weight: coefficient().notNull(),
    upToDate: boolean().notNull(),
    channel: voteChannel().notNull(),
    castByUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    castByPersonId: uuid().references(() => people.id, { onDelete: 'set null' }),
    proxyId: uuid().references(() => proxies.id, { onDelete: 'set null' }),
    /** Public receipt: a hash the voter can find on the motion's receipt list. */
    receipt: text().notNull(),
    /** Monotonic order of acceptance (e.g. the queue entry id); the upsert keeps the newest. */
    sequence: text().notNull(),
    revision: integer().notNull().default(1),
    castAt: timestamp({ withTimezone: true }).notNull(),
    committedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.motionId, table.unitId] }), index().on(table.organizationId)],
)

/**
 * The frozen result of a closed motion: electorate, totals, outcome, and a hash chained to the
 * previous snapshot of the same PH so that later tampering is detectable.
 */
export const resultSnapshots = tenantTable(
  'result_snapshots',
  {
    id: id(),
    organizationId: organizationRef(),
    assemblyId: uuid()
      .notNull()
      .references(() => assemblies.id, { onDelete: 'cascade' }),
    motionId: uuid()
      .notNull()
      .references(() => motions.id, { onDelete: 'cascade' }),
    sequence: integer().notNull(),
    electorate: jsonb().notNull(),
    totals: jsonb().notNull(),
    majorityRule: jsonb().$type<MajorityRule>().notNull(),
    outcome: text().notNull(),
    explanation: text().notNull(),
    previousHash: text(),
    hash: text().notNull(),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex().on(table.motionId), uniqueIndex().on(table.organizationId, table.sequence)],
)
