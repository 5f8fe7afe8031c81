import { sql } from 'drizzle-orm'
import type { Database } from './client.ts'

/**
 * Runs `fn` in a transaction scoped to one organization: sets `app.organization_id` for the
 * transaction, which the row-level security policies on tenant tables check. Queries inside must
 * still filter by organization in code; RLS is the second wall, not the first.
 */
export async function withTenant<T>(
  db: Database,
  organizationId: string,
  fn: (tx: Database) => Promise<T>,
): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.organization_id', ${organizationId}, true)`)
    return fn(tx as unknown as Database)
  })
}

/**
 * Runs `fn` in a transaction allowed to cross organizations (app.scope = platform): only for
 * platform-level work such as seeding or linking a new user to the PH records with their email.
 */
export async function withPlatformScope<T>(db: Database, fn: (tx: Database) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('app.scope', 'platform', true)`)
    return fn(tx as unknown as Database)
  })
}
