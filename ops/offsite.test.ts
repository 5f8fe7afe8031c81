/**
 * The offsite copy, against a local S3-compatible server (s3rver) with the real aws CLI: a set is
 * uploaded with its checksums last; a failed upload keeps the complete local set, says so (not "no
 * backup set was written"), turns the health check red, and the next run uploads every set that is
 * still missing offsite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createStory } from '../core/story-testing.ts'
import { createScratchDatabases, libpqEnv, repoRoot, run } from './testing.ts'
import { type LocalS3, requireAwsCli, startLocalS3 } from './testing-s3.ts'

const work = mkdtempSync(join(tmpdir(), 'assembly-offsite-'))
const backupDir = join(work, 'backups')
const databases = createScratchDatabases('offsite')
let s3: LocalS3
let env: Record<string, string> = {}

const backup = (extra: Record<string, string> = {}) =>
  run(['ops/backup'], { env: { ...env, ...extra }, timeoutMs: 90_000 })

/** Object keys under s3://<bucket>/, as the aws CLI lists them. */
async function remoteKeys(bucket: string): Promise<string[]> {
  const listed = await run(
    ['aws', '--endpoint-url', s3.endpoint, 's3', 'ls', '--recursive', `s3://${bucket}/`],
    {
      env,
    },
  )
  if (listed.exitCode !== 0) throw new Error(listed.stderr)
  return listed.stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(/\s+/).at(-1)!)
    .sort()
}

beforeAll(async () => {
  requireAwsCli()
  const live = await databases.create()
  const schema = await run(
    ['psql', '-X', '-q', '-c', 'create table notes (id serial primary key, body text)'],
    {
      env: { PATH: process.env.PATH, ...libpqEnv(live) },
    },
  )
  if (schema.exitCode !== 0) throw new Error(schema.stderr)
  s3 = await startLocalS3(['backups'])
  env = {
    PATH: process.env.PATH ?? '',
    HOME: work,
    ...libpqEnv(live),
    ...s3.credentials,
    BACKUP_DIR: backupDir,
    DATA_DIR: join(work, 'data'),
    BACKUP_S3_ENDPOINT: s3.endpoint,
  }
}, 60_000)

afterAll(async () => {
  await s3?.stop()
  await databases.dropAll()
  rmSync(work, { recursive: true, force: true })
}, 30_000)

/** The upload checks build on each other (sets accumulate): steps of one test, in this order. */
const story = createStory()
const step = story.step

describe('ops/backup offsite upload', () => {
  it(
    'uploads, survives a failed upload, and catches up on the next run (in that order)',
    () => story.run(),
    300_000,
  )

  step(
    'uploads the set, checksums included, to the S3-compatible store',
    async () => {
      const result = await backup({ BACKUP_S3_URI: 's3://backups/assembly' })
      expect(result.stderr).toContain('offsite copy complete (1 set(s) uploaded now)')
      expect(result.exitCode).toBe(0)
      const [set] = readdirSync(join(backupDir, 'daily'))
      expect(await remoteKeys('backups')).toEqual([
        `assembly/daily/${set}/SHA256SUMS`,
        `assembly/daily/${set}/database.dump.zst`,
      ])
      // What is offsite is what is here: download the checksums and compare.
      const copy = await run(
        [
          'aws',
          '--endpoint-url',
          s3.endpoint,
          's3',
          'cp',
          `s3://backups/assembly/daily/${set}/SHA256SUMS`,
          '-',
        ],
        { env },
      )
      expect(copy.stdout).toBe(readFileSync(join(backupDir, 'daily', set!, 'SHA256SUMS'), 'utf8'))
    },
    120_000,
  )

  step(
    'a failed upload keeps the set, says it was written, and the next run uploads what is missing',
    async () => {
      // The bucket does not exist yet: the store refuses the upload.
      const failed = await backup({ BACKUP_S3_URI: 's3://later/assembly' })
      expect(failed.exitCode).toBe(3)
      expect(failed.stderr).not.toContain('no backup set was written')
      expect(failed.stderr).toMatch(
        /upload FAILED for 2 set\(s\) .*; they are complete here and the next run uploads them again/,
      )
      expect(failed.stderr).toContain('FAILED after the backup set was written (exit 3)')
      const sets = readdirSync(join(backupDir, 'daily')).sort()
      expect(sets).toHaveLength(2)
      const verify = await run(['sha256sum', '--check', '--quiet', 'SHA256SUMS'], {
        cwd: join(backupDir, 'daily', sets[1]!),
      })
      expect(verify.exitCode).toBe(0)
      expect(readFileSync(join(backupDir, 'offsite-last-failure'), 'utf8')).toContain('2 set(s) not uploaded')

      const health = await run(['ops/health-check', '--only', 'backups'], { env })
      expect(health.stdout).toContain('FAIL  the offsite upload failed: ')
      expect(health.stdout).toContain('OK    the newest backup is 0 hours old')
      const container = await run(['ops/cron/healthcheck', '--markers-only'], { env })
      expect(container.stderr).toContain('the offsite upload failed')

      // The store is fixed (bucket created); the next nightly run uploads its own set and both old ones.
      const made = await run(['aws', '--endpoint-url', s3.endpoint, 's3', 'mb', 's3://later'], { env })
      expect(made.exitCode).toBe(0)
      const next = await backup({ BACKUP_S3_URI: 's3://later/assembly' })
      expect(next.stderr).toContain('offsite copy complete (3 set(s) uploaded now)')
      expect(next.exitCode).toBe(0)
      const all = readdirSync(join(backupDir, 'daily')).sort()
      expect((await remoteKeys('later')).filter((key) => key.endsWith('/SHA256SUMS'))).toEqual(
        all.map((set) => `assembly/daily/${set}/SHA256SUMS`),
      )
      expect((await run(['ops/cron/healthcheck', '--markers-only'], { env })).exitCode).toBe(0)

      // A run with everything already offsite uploads only its own set.
      const again = await backup({ BACKUP_S3_URI: 's3://later/assembly' })
      expect(again.stderr).toContain('offsite copy complete (1 set(s) uploaded now)')
    },
    180_000,
  )

  it('the production example sets the checksum mode S3-compatible stores accept', () => {
    const example = readFileSync(join(repoRoot, 'ops/production.env.example'), 'utf8')
    expect(example).toMatch(/^AWS_REQUEST_CHECKSUM_CALCULATION=when_required$/m)
  })
})
