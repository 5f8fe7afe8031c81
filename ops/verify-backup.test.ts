/**
 * The weekly restore check leaves a trace the health checks read: a passing ops/verify-backup
 * records its time, a failing one (here: a backup whose audit chain was tampered with, which only
 * `bun db/verify.ts` on the restored copy can notice) records the time and the reason, and both
 * ops/health-check and the backup container's health check turn red on it, or on its age.
 */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { appendAudit } from '../core/auth/audit.ts'
import { createStory } from '../core/story-testing.ts'
import { openDatabase } from '../db/client.ts'
import { createScratchDatabases, createSeededDatabase, databaseUrlFor, libpqEnv, run } from './testing.ts'

const work = mkdtempSync(join(tmpdir(), 'assembly-verify-'))
const backupDir = join(work, 'backups')
const databases = createScratchDatabases('verify')
let live = ''
let env: Record<string, string> = {}

const ops = (script: string, args: string[] = [], extra: Record<string, string> = {}) =>
  run([`ops/${script}`, ...args], { env: { ...env, ...extra }, timeoutMs: 90_000 })

async function sql<T>(query: string): Promise<T[]> {
  const client = postgres(databaseUrlFor(live), { max: 1, onnotice: () => {} })
  try {
    return (await client.unsafe(query)) as unknown as T[]
  } finally {
    await client.end({ timeout: 5 })
  }
}

/** Sets a file's modification time `days` days into the past. */
function age(path: string, days: number): void {
  const when = new Date(Date.now() - days * 86_400_000)
  utimesSync(path, when, when)
}

/** Both health checks turn red: ops/health-check says `health` on its FAIL line, the container's says `container`. */
async function expectBackupsUnhealthy(health: string, container: string): Promise<void> {
  const report = await ops('health-check', ['--only', 'backups'])
  expect(report.stdout).toContain(`FAIL  ${health}`)
  expect(report.exitCode).toBe(1)
  const check = await ops('cron/healthcheck', ['--markers-only'])
  expect(check.stderr).toContain(container)
  expect(check.exitCode).not.toBe(0)
}

beforeAll(async () => {
  live = await createSeededDatabase(databases)
  // A few security events, as sign-ins would write them: the audit chain the check recomputes.
  const handle = await openDatabase({ url: databaseUrlFor(live), poolSize: 1 })
  try {
    for (const action of ['otp.sent', 'otp.verified', 'session.created'])
      await appendAudit(handle.db, { action, subject: 'admin@example.org', ip: '127.0.0.1' })
  } finally {
    await handle.close()
  }
  env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    ...libpqEnv(live),
    BACKUP_DIR: backupDir,
  }
  const backup = await ops('backup', ['--no-upload'])
  if (backup.exitCode !== 0) throw new Error(`backup failed: ${backup.stderr}`)
}, 120_000)

afterAll(async () => {
  await databases.dropAll()
  rmSync(work, { recursive: true, force: true })
}, 30_000)

/**
 * The checks below share one live database and one backup directory and build on each other (a
 * tampered backup, then an older good one): they run as steps of one test, so the file passes in any
 * test order.
 */
const story = createStory()
const step = story.step

describe('ops/verify-backup records its outcome', () => {
  it(
    'passes, fails on a tampered backup, clears, and goes red with age (in that order)',
    () => story.run(),
    300_000,
  )

  step(
    'a passing check verifies the hash chains of the restored copy and records its time',
    async () => {
      const result = await ops('verify-backup', ['--allow-growth'])
      expect(result.stderr).toContain('audit chain ok (3 entries)')
      expect(result.stderr).toMatch(/result chains ok \(1 organizations, \d+ snapshots\)/)
      expect(result.exitCode).toBe(0)
      const recorded = readFileSync(join(backupDir, 'verify-last-success'), 'utf8').trim()
      expect(Math.abs(Date.parse(recorded) - Date.now())).toBeLessThan(10 * 60_000)
      expect(existsSync(join(backupDir, 'verify-last-failure'))).toBe(false)

      const health = await ops('health-check', ['--only', 'backups'])
      expect(health.stdout).toContain('OK    the last restore check passed 0 days ago')
      expect(health.exitCode).toBe(0)
      expect((await ops('cron/healthcheck', ['--markers-only'])).exitCode).toBe(0)
    },
    120_000,
  )

  step(
    'a backup of a tampered audit log fails the check, and both health checks say so',
    async () => {
      const [entries] = await sql<{ n: number }>('select count(*)::int as n from audit_log')
      expect(entries?.n).toBe(3)
      // Someone with database access edits one audit entry; the nightly backup carries the edit.
      await sql(
        "update audit_log set ip = '203.0.113.9' where id = (select id from audit_log order by id offset 1 limit 1)",
      )
      const backup = await ops('backup', ['--no-upload', '--label', 'tampered'])
      expect(backup.exitCode).toBe(0)

      const result = await ops('verify-backup', ['--allow-growth'])
      expect(result.exitCode).not.toBe(0)
      expect(result.stderr).toContain('audit chain broken at id')
      const failure = readFileSync(join(backupDir, 'verify-last-failure'), 'utf8')
      expect(failure).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ latest: the audit chain of the backup is broken/,
      )
      expect((await databases.list()).filter((name) => name.startsWith(`${live}_verify_`))).toEqual([])

      await expectBackupsUnhealthy('the last restore check failed:', 'the last restore check failed')
    },
    120_000,
  )

  it('a restore that fails outright is recorded too', async () => {
    const elsewhere = join(work, 'other-backups')
    const result = await ops('verify-backup', ['no-such-set'], { BACKUP_DIR: elsewhere })
    expect(result.exitCode).not.toBe(0)
    expect(readFileSync(join(elsewhere, 'verify-last-failure'), 'utf8')).toContain(
      "no-such-set: the backup set 'no-such-set' could not be restored",
    )
  }, 60_000)

  step(
    'a passing check clears the failure; a check older than VERIFY_MAX_AGE_DAYS is red',
    async () => {
      // The first (untampered) set still verifies.
      const first = (await ops('restore', ['--list'])).stdout
        .trim()
        .split('\n')
        .map((line) => line.split(/\s+/)[0]!)
        .find((set) => set.startsWith('daily/') && !set.endsWith('-tampered'))!
      const passed = await ops('verify-backup', [first, '--allow-growth'])
      expect(passed.exitCode).toBe(0)
      expect(existsSync(join(backupDir, 'verify-last-failure'))).toBe(false)

      age(join(backupDir, 'verify-last-success'), 9)
      await expectBackupsUnhealthy(
        'the last passing restore check is 9 days old',
        'no passing restore check for 9 days',
      )
      expect(
        (await ops('cron/healthcheck', ['--markers-only'], { VERIFY_MAX_AGE_DAYS: '10' })).exitCode,
      ).toBe(0)
    },
    120_000,
  )
})

describe('the nightly schedule', () => {
  it('defaults to 02:30 in the PHs’ time zone, and the zone is configurable', async () => {
    const schedule = await ops('cron/entrypoint', ['--print-schedule'])
    expect(schedule.exitCode).toBe(0)
    expect(schedule.stdout).toStartWith('# TZ=America/Panama\n30 2 * * * ')
    expect(schedule.stdout).toMatch(/^30 3 \* \* 0 .*verify-backup/m)
    const bogota = await ops('cron/entrypoint', ['--print-schedule'], {
      BACKUP_TIMEZONE: 'America/Bogota',
      BACKUP_TIME: '04:05',
    })
    expect(bogota.stdout).toStartWith('# TZ=America/Bogota\n5 4 * * * ')
    const wrong = await ops('cron/entrypoint', ['--print-schedule'], { BACKUP_TIMEZONE: 'Panama City' })
    expect(wrong.exitCode).not.toBe(0)
    expect(wrong.stderr).toContain('BACKUP_TIMEZONE must be a time zone name')
  })
})
