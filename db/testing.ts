import postgres from 'postgres'
import { type DatabaseHandle, openDatabase } from './client.ts'

/**
 * A migrated database of its own for one test file (pass `appRole: 'assembly_app'` to act as the
 * application does, under row-level security): a fresh PostgreSQL database when
 * DATABASE_URL is set (dropped on close), otherwise an in-memory PGlite.
 */
export async function createTestDatabase(
  options: { appRole?: string | null; onQuery?: (query: string, params: unknown[]) => void } = {},
): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL
  const appRole = options.appRole ?? null
  if (!url) {
    const handle = await openDatabase({
      url: null,
      pgliteDir: 'memory://',
      appRole,
      pgliteTemplate: await migratedTemplate(),
      onQuery: options.onQuery,
    })
    await handle.migrate()
    return handle
  }
  const name = `test_${Date.now().toString(36)}_${crypto.randomUUID().slice(0, 8)}`
  const admin = postgres(url, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}"`)
  const testUrl = new URL(url)
  testUrl.pathname = `/${name}`
  const handle = await openDatabase({
    url: testUrl.toString(),
    poolSize: 5,
    appRole,
    onQuery: options.onQuery,
  })
  await handle.migrate()
  return {
    ...handle,
    close: async () => {
      await handle.close()
      await admin.unsafe(`drop database if exists "${name}" with (force)`)
      await admin.end()
    },
  }
}

let template: Promise<Blob> | null = null

/** Migrating PGlite from scratch takes seconds; test files in one run start from one migrated dump. */
function migratedTemplate(): Promise<Blob> {
  template ??= (async () => {
    const handle = await openDatabase({ url: null, pgliteDir: 'memory://' })
    await handle.migrate()
    const blob = await handle.dump!()
    await handle.close()
    return blob
  })()
  return template
}

/** Prepares what createTestDatabase needs ahead of time (the PGlite template when there is no URL). */
export async function warmTestDatabase(): Promise<void> {
  if (!process.env.DATABASE_URL) await migratedTemplate()
}
