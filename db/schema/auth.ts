import { sql } from 'drizzle-orm'
import {
  bigint,
  boolean,
  customType,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import { createdAt, id } from './columns.ts'
import { organizations } from './organizations.ts'

export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
})

/** A person who can sign in. Platform admins operate the whole installation. */
export const users = pgTable(
  'users',
  {
    id: id(),
    email: text().notNull(),
    displayName: text(),
    locale: text().notNull().default('es'),
    isPlatformAdmin: boolean().notNull().default(false),
    disabledAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex('users_email_lower_idx').on(sql`lower(${table.email})`)],
)

/** Roles a user holds in a PH. Proxy holder and owner are also derived from the domain tables. */
export const membershipRole = pgEnum('membership_role', ['ph_admin', 'checkin_staff', 'owner', 'auditor'])

export const memberships = pgTable(
  'memberships',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    organizationId: uuid()
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    role: membershipRole().notNull(),
    createdAt: createdAt(),
  },
  (table) => [
    uniqueIndex().on(table.userId, table.organizationId, table.role),
    index().on(table.organizationId),
  ],
)

/** Session tokens are `<id>.<secret>`; only the SHA-256 of the secret is stored. */
export const sessions = pgTable(
  'sessions',
  {
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    secretHash: bytea().notNull(),
    createdAt: createdAt(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    ip: text(),
    userAgent: text(),
  },
  (table) => [index().on(table.userId)],
)

/** One-time sign-in codes, bound to the login attempt that requested them. */
export const otpCodes = pgTable(
  'otp_codes',
  {
    id: id(),
    email: text().notNull(),
    codeHash: bytea().notNull(),
    attemptHash: bytea().notNull(),
    failedAttempts: integer().notNull().default(0),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    consumedAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (table) => [index().on(table.email), index().on(table.expiresAt)],
)

/**
 * One-time sign-in codes the check-in desk issues to a checked-in owner who cannot receive email
 * (issue #13): short-lived, single use, only the SHA-256 stored; issuing and use are audited.
 */
export const deskSignInCodes = pgTable(
  'desk_sign_in_codes',
  {
    id: id(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text().notNull(),
    expiresAt: timestamp({ withTimezone: true }).notNull(),
    consumedAt: timestamp({ withTimezone: true }),
    issuedByUserId: uuid().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (table) => [uniqueIndex().on(table.codeHash), index().on(table.expiresAt)],
)

export const passkeys = pgTable(
  'passkeys',
  {
    /** Credential id, base64url. */
    id: text().primaryKey(),
    userId: uuid()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    publicKey: bytea().notNull(),
    counter: bigint({ mode: 'number' }).notNull().default(0),
    transports: text().array().notNull().default(sql`'{}'::text[]`),
    deviceType: text().notNull(),
    backedUp: boolean().notNull(),
    name: text(),
    createdAt: createdAt(),
    lastUsedAt: timestamp({ withTimezone: true }),
  },
  (table) => [index().on(table.userId)],
)

/** Keys for internal webhooks and service-to-service calls; stored hashed. */
export const apiKeys = pgTable('api_keys', {
  id: text().primaryKey(),
  name: text().notNull(),
  secretHash: bytea().notNull(),
  organizationId: uuid().references(() => organizations.id, { onDelete: 'cascade' }),
  scopes: text().array().notNull().default(sql`'{}'::text[]`),
  createdAt: createdAt(),
  revokedAt: timestamp({ withTimezone: true }),
})
