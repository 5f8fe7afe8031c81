import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { sql } from 'drizzle-orm'
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core'
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite'
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator'
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js'
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import * as schema from './schema/index.ts'

export type Schema = typeof schema
/** The drizzle database, the same type whether it runs on PostgreSQL or on PGlite. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>

export interface DatabaseHandle {
  db: Database
  kind: 'postgres' | 'pglite'
  /** Applies committed migrations; safe to run any number of times. */
  migrate(): Promise<void>
  ping(): Promise<boolean>
  close(): Promise<void>
  /** PGlite only: a dump of the data directory, to start other instances from. */
  dump?: () => Promise<Blob>
}

export const migrationsFolder = join(import.meta.dir, 'migrations')

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; null opens PGlite. */
  url: string | null
  /** PGlite directory; 'memory://' for a throwaway in-memory database. */
  pgliteDir?: string
  poolSize?: number
  /**
   * Non-superuser role the application acts as (SET ROLE at connect) so row-level security applies.
   * Migrations always run as the connecting user. null: act as the connecting user (tests of core
   * services, tools).
   */
  appRole?: string | null
  /** PGlite only: start from this dump of a data directory (tests reuse one migrated template). */
  pgliteTemplate?: Blob
  /** Called with every statement drizzle runs (tests compare the work done by code paths). */
  onQuery?: (query: string, params: unknown[]) => void
}

/** Opens PostgreSQL (postgres.js) when a URL is given, otherwise the embedded PGlite. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  const appRole = options.appRole ?? null
  if (appRole !== null && !/^[a-z_][a-z0-9_]*$/.test(appRole))
    throw new Error(`invalid role name "${appRole}"`)
  const logger = options.onQuery ? { logQuery: options.onQuery } : undefined
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10, appRole, logger)
  return openPglite(options.pgliteDir ?? 'memory://', appRole, options.pgliteTemplate, logger)
}

type QueryLogger = { logQuery: (query: string, params: unknown[]) => void } | undefined

function openPostgres(
  url: string,
  poolSize: number,
  appRole: string | null,
  logger: QueryLogger,
): DatabaseHandle {
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    connect_timeout: 10,
    // Sent in the startup packet: every pooled connection acts as the application role.
    connection: appRole ? ({ role: appRole } as Record<string, string>) : {},
  })
  const db = drizzlePostgres({ client, schema, casing: 'snake_case', logger }) as unknown as Database
  return {
    db,
    kind: 'postgres',
    migrate: async () => {
      const owner = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 })
      try {
        await migratePostgres(drizzlePostgres({ client: owner }), { migrationsFolder })
      } finally {
        await owner.end({ timeout: 5 })
      }
    },
    ping: () => ping(db),
    close: () => client.end({ timeout: 5 }),
  }
}

async function openPglite(
  dir: string,
  appRole: string | null,
  template: Blob | undefined,
  logger: QueryLogger,
): Promise<DatabaseHandle> {
  if (!dir.includes('://')) mkdirSync(dir, { recursive: true })
  const client = await PGlite.create(dir, template ? { loadDataDir: template } : {})
  const db = drizzlePglite({ client, schema, casing: 'snake_case', logger }) as unknown as Database
  // One connection: act as the application role whenever it exists (it is created by a migration).
  const actAsAppRole = async () => {
    if (!appRole) return
    const found = await client.query('select 1 from pg_roles where rolname = $1', [appRole])
    if (found.rows.length > 0) await client.exec(`set role ${appRole}`)
  }
  await actAsAppRole()
  return {
    db,
    kind: 'pglite',
    migrate: async () => {
      await client.exec('reset role')
      await migratePglite(db as never, { migrationsFolder })
      await actAsAppRole()
    },
    ping: () => ping(db),
    close: () => client.close(),
    dump: async () => (await client.dumpDataDir('none')) as Blob,
  }
}

/** Rows of `db.execute(...)`, whose result shape differs between postgres.js and PGlite. */
export function rowsOf<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[]
}

async function ping(db: Database): Promise<boolean> {
  try {
    await db.execute(sql`select 1`)
    return true
  } catch {
    return false
  }
}
