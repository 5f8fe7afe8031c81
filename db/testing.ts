import postgres from 'postgres'
import { type DatabaseHandle, openDatabase } from './client.ts'

/**
 * A migrated database of its own for one test file: a fresh PostgreSQL database when
 * DATABASE_URL is set (dropped on close), otherwise an in-memory PGlite.
 */
export async function createTestDatabase(): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL
  if (!url) {
    const handle = await openDatabase({ url: null, pgliteDir: 'memory://' })
    await handle.migrate()
    return handle
  }
  const name = `test_${Date.now().toString(36)}_${crypto.randomUUID().slice(0, 8)}`
  const admin = postgres(url, { max: 1, onnotice: () => {} })
  await admin.unsafe(`create database "${name}"`)
  const testUrl = new URL(url)
  testUrl.pathname = `/${name}`
  const handle = await openDatabase({ url: testUrl.toString(), poolSize: 5 })
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
