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
}

export const migrationsFolder = join(import.meta.dir, 'migrations')

export interface OpenDatabaseOptions {
  /** PostgreSQL URL; null opens PGlite. */
  url: string | null
  /** PGlite directory; 'memory://' for a throwaway in-memory database. */
  pgliteDir?: string
  poolSize?: number
}

/** Opens PostgreSQL (postgres.js) when a URL is given, otherwise the embedded PGlite. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<DatabaseHandle> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10)
  return openPglite(options.pgliteDir ?? 'memory://')
}

function openPostgres(url: string, poolSize: number): DatabaseHandle {
  const client = postgres(url, { max: poolSize, onnotice: () => {}, connect_timeout: 10 })
  const db = drizzlePostgres({ client, schema, casing: 'snake_case' }) as unknown as Database
  return {
    db,
    kind: 'postgres',
    migrate: () => migratePostgres(db as never, { migrationsFolder }),
    ping: () => ping(db),
    close: () => client.end({ timeout: 5 }),
  }
}

async function openPglite(dir: string): Promise<DatabaseHandle> {
  if (!dir.includes('://')) mkdirSync(dir, { recursive: true })
  const client = await PGlite.create(dir)
  const db = drizzlePglite({ client, schema, casing: 'snake_case' }) as unknown as Database
  return {
    db,
    kind: 'pglite',
    migrate: () => migratePglite(db as never, { migrationsFolder }),
    ping: () => ping(db),
    close: () => client.close(),
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
