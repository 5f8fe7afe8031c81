/**
 * backup → restore → verify against the real PostgreSQL: a uniquely named database, migrated and
 * seeded with the demo PH, backed up into a temporary directory, restored into new databases, and
 * every database this file created dropped at the end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { createScratchDatabases, createSeededDatabase, databaseUrlFor, libpqEnv, run } from './testing.ts'

const work = mkdtempSync(join(tmpdir(), 'assembly-backup-'))
const backupDir = join(work, 'backups')
const dataDir = join(work, 'data')
const databases = createScratchDatabases('backup')
const keyTables = [
  'organizations',
  'units',
  'people',
  'assemblies',
  'motions',
  'votes',
  'result_snapshots',
  'audit_log',
]
let live = ''
let env: Record<string, string> = {}
let firstSet = ''
/** Today's ISO weekday (UTC), 1 = Monday … 7 = Sunday, as the script's `date -u +%u`. */
const today = ((new Date().getUTCDay() + 6) % 7) + 1

/**
 * The checks below build on each other (the sets the first backups write are listed, restored,
 * damaged, switched): they are steps of one test, run in file order, so the file passes whatever
 * order the test runner picks.
 */
const steps: [string, () => Promise<void>][] = []
const step = (name: string, fn: () => Promise<void>, _timeoutMs?: number) => steps.push([name, fn])

afterAll(async () => {
  await databases.dropAll()
  rmSync(work, { recursive: true, force: true })
}, 30_000)

const ops = (script: string, args: string[] = [], extra: Record<string, string> = {}) =>
  run([`ops/${script}`, ...args], { env: { ...env, ...extra }, timeoutMs: 60_000 })

async function counts(database: string): Promise<Record<string, number>> {
  const result: Record<string, number> = {}
  for (const table of keyTables) result[table] = await databases.count(database, table)
  return result
}

async function sql(database: string, query: string): Promise<void> {
  const client = postgres(databaseUrlFor(database), { max: 1, onnotice: () => {} })
  try {
    await client.unsafe(query)
  } finally {
    await client.end({ timeout: 5 })
  }
}

beforeAll(async () => {
  live = await createSeededDatabase(databases)
  mkdirSync(join(dataDir, 'documents/org-1'), { recursive: true })
  writeFileSync(join(dataDir, 'documents/org-1/acta-2026.pdf'), '%PDF-1.7 acta')
  env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    ...libpqEnv(live),
    BACKUP_DIR: backupDir,
    DATA_DIR: dataDir,
    // Not today: only the weekly test below makes a weekly copy.
    BACKUP_WEEKLY_DAY: String((today % 7) + 1),
  }
}, 60_000)

describe('ops/backup', () => {
  step(
    'a dry run checks the configuration and writes nothing',
    async () => {
      const result = await ops('backup', ['--dry-run'])
      expect(result.exitCode).toBe(0)
      expect(result.stderr).toContain('dry run')
      expect(existsSync(backupDir)).toBe(false)
    },
    60_000,
  )

  step(
    'writes a checksummed set with the database dump and the documents, logging each step',
    async () => {
      const result = await ops('backup')
      expect(result.stderr).toContain('step 5/5: upload skipped')
      expect(result.exitCode).toBe(0)
      const sets = readdirSync(join(backupDir, 'daily'))
      expect(sets).toHaveLength(1)
      firstSet = sets[0]!
      expect(firstSet).toMatch(/^\d{8}T\d{6}Z$/)
      const files = readdirSync(join(backupDir, 'daily', firstSet)).sort()
      expect(files).toEqual(['SHA256SUMS', 'database.dump.zst', 'documents.tar.zst'])
      const check = await run(['sha256sum', '--check', 'SHA256SUMS'], {
        cwd: join(backupDir, 'daily', firstSet),
      })
      expect(check.exitCode).toBe(0)
      expect(existsSync(join(backupDir, 'last-success'))).toBe(true)
    },
    60_000,
  )

  step(
    'deletes sets older than the retention and keeps recent ones',
    async () => {
      const old = join(backupDir, 'daily/20000101T000000Z')
      const oldWeekly = join(backupDir, 'weekly/20000101T000000Z')
      const recentWeekly = join(backupDir, `weekly/${firstSet}-kept`)
      for (const dir of [old, oldWeekly, recentWeekly]) {
        mkdirSync(dir, { recursive: true })
        writeFileSync(join(dir, 'SHA256SUMS'), '')
      }
      const result = await ops('backup', ['--label', 'pre-deploy'])
      expect(result.exitCode).toBe(0)
      expect(result.stderr).toContain('retention: deleting daily/20000101T000000Z')
      expect(existsSync(old)).toBe(false)
      expect(existsSync(oldWeekly)).toBe(false)
      expect(existsSync(recentWeekly)).toBe(true)
      rmSync(recentWeekly, { recursive: true })
      expect(readdirSync(join(backupDir, 'daily')).some((set) => set.endsWith('-pre-deploy'))).toBe(true)
    },
    60_000,
  )

  step(
    'also keeps the set under weekly/ on BACKUP_WEEKLY_DAY',
    async () => {
      const result = await ops('backup', ['--label', 'weekly-test'], { BACKUP_WEEKLY_DAY: String(today) })
      expect(result.exitCode).toBe(0)
      const weekly = readdirSync(join(backupDir, 'weekly'))
      expect(weekly).toHaveLength(1)
      expect(weekly[0]).toEndWith('-weekly-test')
      expect(readdirSync(join(backupDir, 'weekly', weekly[0]!)).sort()).toEqual(
        readdirSync(join(backupDir, 'daily', weekly[0]!)).sort(),
      )
      rmSync(join(backupDir, 'weekly', weekly[0]!), { recursive: true })
      rmSync(join(backupDir, 'daily', weekly[0]!), { recursive: true })
    },
    60_000,
  )

  step(
    'fails with a non-zero exit and no partial set when the database is unreachable',
    async () => {
      const before = readdirSync(join(backupDir, 'daily')).length
      const result = await ops('backup', [], { PGDATABASE: `${databases.prefix}_missing` })
      expect(result.exitCode).not.toBe(0)
      expect(result.stderr).toContain('cannot connect')
      expect(readdirSync(join(backupDir, 'daily'))).toHaveLength(before)
      expect(readdirSync(backupDir).filter((name) => name.startsWith('.partial'))).toEqual([])
      expect(existsSync(join(backupDir, 'last-failure'))).toBe(true)
    },
    60_000,
  )
})

describe('ops/restore', () => {
  step(
    'lists the backup sets, newest first',
    async () => {
      const result = await ops('restore', ['--list'])
      expect(result.exitCode).toBe(0)
      const names = result.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/)[0])
      expect(names).toHaveLength(2)
      expect(names[0]).toEndWith('-pre-deploy')
      expect(names[1]).toBe(`daily/${firstSet}`)
    },
    60_000,
  )

  step(
    'restores a set into a new database with the same row counts, and the documents',
    async () => {
      const target = `${databases.prefix}_restored`
      const into = join(work, 'restored-documents')
      const result = await ops('restore', [firstSet, '--target', target, '--documents-into', into])
      expect(result.stderr).toContain('checksums match')
      expect(result.exitCode).toBe(0)
      const restored = await counts(target)
      expect(restored).toEqual(await counts(live))
      expect(restored.units).toBe(120)
      expect(readFileSync(join(into, 'org-1/acta-2026.pdf'), 'utf8')).toBe('%PDF-1.7 acta')
    },
    60_000,
  )

  step(
    'refuses to overwrite an existing database',
    async () => {
      const result = await ops('restore', [firstSet, '--target', live])
      expect(result.exitCode).not.toBe(0)
      expect(result.stderr).toContain('already exists; refusing')
    },
    60_000,
  )

  step(
    'refuses a set whose dump does not match its checksum, creating nothing',
    async () => {
      const damaged = join(backupDir, 'daily/20990101T000000Z-damaged')
      await run(['cp', '-a', join(backupDir, 'daily', firstSet), damaged])
      const dump = join(damaged, 'database.dump.zst')
      const bytes = readFileSync(dump)
      const middle = bytes.length >> 1
      bytes[middle] = (bytes[middle] ?? 0) ^ 0xff
      writeFileSync(dump, bytes)
      const target = `${databases.prefix}_damaged`
      const result = await ops('restore', ['latest', '--target', target])
      expect(result.exitCode).not.toBe(0)
      expect(result.stderr).toContain('checksum mismatch')
      expect(await databases.list()).not.toContain(target)
      rmSync(damaged, { recursive: true })
    },
    60_000,
  )

  step(
    'refuses a set whose SHA256SUMS was altered',
    async () => {
      const altered = join(backupDir, 'daily/20990101T000000Z-altered')
      await run(['cp', '-a', join(backupDir, 'daily', firstSet), altered])
      const sums = join(altered, 'SHA256SUMS')
      writeFileSync(
        sums,
        readFileSync(sums, 'utf8').replace(/^[0-9a-f]/, (c) => (c === '0' ? '1' : '0')),
      )
      const result = await ops('restore', [
        '20990101T000000Z-altered',
        '--target',
        `${databases.prefix}_altered`,
      ])
      expect(result.exitCode).not.toBe(0)
      expect(result.stderr).toContain('checksum mismatch')
      rmSync(altered, { recursive: true })
    },
    60_000,
  )
})

describe('ops/verify-backup', () => {
  step(
    'restores the newest set into a scratch database, compares counts and drops it',
    async () => {
      const result = await ops('verify-backup')
      expect(result.stderr).toContain('verified')
      expect(result.exitCode).toBe(0)
      for (const table of keyTables)
        expect(result.stdout).toMatch(new RegExp(`^${table}\\s+\\d+\\s+\\d+\\s+ok$`, 'm'))
      expect((await databases.list()).filter((name) => name.includes('_verify_'))).toEqual([])
    },
    60_000,
  )

  step(
    'fails when the live counts differ, unless growth since the backup is allowed',
    async () => {
      await sql(live, "insert into organizations (slug, name) values ('ph-nuevo', 'PH Nuevo')")
      const strict = await ops('verify-backup')
      expect(strict.exitCode).not.toBe(0)
      expect(strict.stdout).toMatch(/^organizations\s+1\s+2\s+DIFFERENT$/m)
      const tolerant = await ops('verify-backup', ['--allow-growth'])
      expect(tolerant.stdout).toMatch(/^organizations\s+1\s+2\s+ok \(grew since the backup\)$/m)
      expect(tolerant.exitCode).toBe(0)
      const missing = await ops('verify-backup', ['--allow-growth'], { VERIFY_TABLES: 'units no_such_table' })
      expect(missing.exitCode).not.toBe(0)
      expect(missing.stdout).toMatch(/^no_such_table\s+missing\s+missing\s+MISSING$/m)
      expect((await databases.list()).filter((name) => name.includes('_verify_'))).toEqual([])
    },
    60_000,
  )
})

describe('ops/restore --switch', () => {
  step(
    'refuses to switch without --yes and changes nothing',
    async () => {
      const before = await databases.list()
      const result = await ops('restore', [firstSet, '--switch'])
      expect(result.exitCode).not.toBe(0)
      expect(result.stderr).toContain('without --yes')
      expect(await databases.list()).toEqual(before)
    },
    60_000,
  )

  step(
    'with --yes makes the restored copy live and keeps the previous database and documents',
    async () => {
      writeFileSync(join(dataDir, 'documents/org-1/after-backup.pdf'), 'later')
      const result = await ops('restore', [firstSet, '--switch', '--yes'])
      expect(result.exitCode).toBe(0)
      expect(await databases.count(live, 'organizations')).toBe(1)
      const previous = (await databases.list()).find((name) => name.startsWith(`${live}_before_`))
      expect(previous).toBeDefined()
      expect(await databases.count(previous!, 'organizations')).toBe(2)
      expect(existsSync(join(dataDir, 'documents/org-1/after-backup.pdf'))).toBe(false)
      expect(readFileSync(join(dataDir, 'documents/org-1/acta-2026.pdf'), 'utf8')).toBe('%PDF-1.7 acta')
      const kept = readdirSync(dataDir).find((name) => name.startsWith('documents.before-'))
      expect(existsSync(join(dataDir, kept!, 'org-1/after-backup.pdf'))).toBe(true)
    },
    60_000,
  )
})

it('backup → restore → verify → switch, step by step in order', async () => {
  for (const [name, fn] of steps) {
    try {
      await fn()
    } catch (error) {
      throw new Error(`step "${name}": ${(error as Error).message}`)
    }
  }
}, 600_000)
