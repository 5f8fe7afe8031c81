import { type BuildExtraConfigColumns, sql } from 'drizzle-orm'
import {
  type PgColumnBuilderBase,
  type PgTable,
  type PgTableExtraConfigValue,
  pgPolicy,
  pgTable,
  uuid,
} from 'drizzle-orm/pg-core'
import { organizations } from './organizations.ts'

/**
 * The organization column of a tenant table (what `tenantTable` requires), so queries and the RLS
 * policy can scope by it. Removing the PH removes its rows.
 */
export const organizationRef = () =>
  uuid()
    .notNull()
    .references(() => organizations.id, { onDelete: 'cascade' })

/**
 * A row is visible and writable when it belongs to the organization set for the transaction
 * (db/tenant.ts `withTenant`), or when the transaction opted into platform scope (`withPlatformScope`).
 */
const tenantMatch = sql.raw(
  "organization_id = nullif(current_setting('app.organization_id', true), '')::uuid" +
    " OR current_setting('app.scope', true) = 'platform'",
)

/** The name the hand-written migrations 0002–0014 gave the policy; drizzle-kit tracks it by name. */
export const TENANT_POLICY = 'tenant_isolation'

const declaredTenantTables = new WeakSet<PgTable>()

/** Whether `table` was declared through `tenantTable` (db/rls-tables.test.ts checks none escapes it). */
export const isTenantTable = (table: PgTable) => declaredTenantTables.has(table)

/**
 * A table of one PH's data: requires the `organizationId: organizationRef()` column and declares the
 * tenant isolation policy on it, so drizzle-kit emits `ENABLE ROW LEVEL SECURITY` and the policy with
 * the table. The caller places the column: some code relies on the column order of a table (the vote
 * writer inserts `votes` from a positional select list).
 *
 * drizzle-kit cannot declare `FORCE ROW LEVEL SECURITY` (which subjects the table owner, the role
 * migrations and the seed connect as, to the policy too), so a new tenant table's migration adds
 * `ALTER TABLE … FORCE ROW LEVEL SECURITY` by hand; db/rls-tables.test.ts fails until it does.
 */
export function tenantTable<
  TName extends string,
  TColumns extends Record<string, PgColumnBuilderBase> & {
    organizationId: ReturnType<typeof organizationRef>
  },
>(
  name: TName,
  columns: TColumns,
  extraConfig?: (self: BuildExtraConfigColumns<TName, TColumns, 'pg'>) => PgTableExtraConfigValue[],
) {
  const table = pgTable(name, columns, (self) => [
    ...(extraConfig?.(self) ?? []),
    pgPolicy(TENANT_POLICY, {
      as: 'permissive',
      for: 'all',
      to: 'public',
      using: tenantMatch,
      withCheck: tenantMatch,
    }),
  ])
  declaredTenantTables.add(table)
  return table
}
