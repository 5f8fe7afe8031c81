/**
 * Disaster recovery onto a new VPS: a backup of a migrated, seeded database on the shared PostgreSQL
 * is restored into an EMPTY private cluster (initdb in a temporary directory, its own port), where
 * the application role does not exist yet. The restore must create it, carry every row, and leave a
 * database the application can use through that role (row-level security still on).
 */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { type PrivatePostgres, startPrivatePostgres } from '../core/votes/faults/private-servers.ts'
import { createScratchDatabases, createSeededDatabase, libpqEnv, run } from './testing.ts'

const work = mkdtempSync(join(tmpdir(), 'assembly-restore-fresh-'))
const backupDir = join(work, 'backups')
const databases = createScratchDatabases('fresh')
let cluster: PrivatePostgres
let live = ''
let baseEnv: Record<string, string> = {}

/** libpq variables for a database of the private cluster. */
function privateEnv(database: string): Record<string, string> {
  return { PGHOST: '127.0.0.1', PGPORT: String(cluster.port), PGUSER: 'postgres', PGDATABASE: database }
}

function privateUrl(database: string): string {
  return `postgres://postgres@127.0.0.1:${cluster.port}/${database}`
}

async function query<T>(url: string, text: string): Promise<T[]> {
  const client = postgres(url, { max: 1, onnotice: () => {} })
  try {
    return (await client.unsafe(text)) as unknown as T[]
  } finally {
    await client.end({ timeout: 5 })
  }
}

beforeAll(async () => {
  live = await createSeededDatabase(databases)
  baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', BACKUP_DIR: backupDir }
  const backup = await run(['ops/backup', '--no-upload'], { env: { ...baseEnv, ...libpqEnv(live) } })
  if (backup.exitCode !== 0) throw new Error(`backup failed: ${backup.stderr}`)
  cluster = await startPrivatePostgres()
}, 120_000)

afterAll(async () => {
  await cluster?.stop()
  await databases.dropAll()
  rmSync(work, { recursive: true, force: true })
}, 30_000)

// One sequence (a fresh cluster is fresh only once), so the file passes in any test order.
describe('ops/restore onto a fresh cluster', () => {
  it('creates the missing role, restores every row, the app role sees only its PH; a second restore reuses the role', async () => {
    const roles = await query<{ n: number }>(
      cluster.url,
      "select count(*)::int as n from pg_roles where rolname = 'assembly_app'",
    )
    expect(roles[0]?.n).toBe(0)

    const set = readdirSync(join(backupDir, 'daily'))[0]!
    // The live database name of the new VPS is the one compose created (POSTGRES_DB).
    await query(cluster.url, 'create database assembly')
    const result = await run(['ops/restore', set, '--switch', '--yes'], {
      env: { ...baseEnv, ...privateEnv('assembly'), DATA_DIR: join(work, 'data') },
      timeoutMs: 90_000,
    })
    expect(result.stderr).toContain("role 'assembly_app' is missing (a fresh cluster): creating it")
    expect(result.exitCode).toBe(0)

    const [role] = await query<{ rolcanlogin: boolean; rolsuper: boolean; rolbypassrls: boolean }>(
      cluster.url,
      "select rolcanlogin, rolsuper, rolbypassrls from pg_roles where rolname = 'assembly_app'",
    )
    expect(role).toEqual({ rolcanlogin: false, rolsuper: false, rolbypassrls: false })

    for (const table of ['organizations', 'units', 'people', 'motions', 'votes', 'audit_log']) {
      const [restored] = await query<{ n: number }>(
        privateUrl('assembly'),
        `select count(*)::int as n from "${table}"`,
      )
      expect({ table, n: restored?.n }).toEqual({ table, n: await databases.count(live, table) })
    }

    // Through the application role, with no PH chosen, row-level security hides every unit; with the
    // seeded PH chosen, its 120 units are visible: the GRANTs and the policies came through.
    const [org] = await query<{ id: string }>(privateUrl('assembly'), 'select id from organizations limit 1')
    const client = postgres(privateUrl('assembly'), { max: 1, onnotice: () => {} })
    try {
      const counts = await client.begin(async (tx) => {
        await tx.unsafe('set local role assembly_app')
        const [hidden] = await tx.unsafe('select count(*)::int as n from units')
        await tx.unsafe(`select set_config('app.organization_id', '${org!.id}', true)`)
        const [visible] = await tx.unsafe('select count(*)::int as n from units')
        return { hidden: hidden?.n, visible: visible?.n }
      })
      expect(counts).toEqual({ hidden: 0, visible: 120 })
    } finally {
      await client.end({ timeout: 5 })
    }

    const second = await run(['ops/restore', 'latest', '--target', 'assembly_again'], {
      env: { ...baseEnv, ...privateEnv('assembly') },
      timeoutMs: 90_000,
    })
    expect(second.stderr).toContain("role 'assembly_app' exists")
    expect(second.exitCode).toBe(0)
    const [row] = await query<{ n: number }>(
      privateUrl('assembly_again'),
      'select count(*)::int as n from units',
    )
    expect(row?.n).toBe(120)
  }, 180_000)
})
