/**
 * Every bash script under ops/: shellcheck-clean (any finding fails, info included), `--help` exits 0
 * and explains itself, and the guards that refuse dangerous mistakes hold.
 */
import { describe, expect, it } from 'bun:test'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { repoRoot, run } from './testing.ts'

const opsDir = join(repoRoot, 'ops')

/** Files under ops/ that are bash: a bash shebang, or sourced libraries marked `shell=bash`. */
function bashFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) return bashFiles(path)
      const head = readFileSync(path, 'utf8').slice(0, 200)
      return /^#!\/usr\/bin\/env bash|^# shellcheck shell=bash/.test(head) ? [path] : []
    })
    .sort()
}

const scripts = bashFiles(opsDir)
const executables = scripts.filter((path) => (statSync(path).mode & 0o111) !== 0)
const names = executables.map((path) => relative(repoRoot, path))

describe('ops/ bash scripts', () => {
  it('finds every script the operations guide names', () => {
    for (const name of [
      'ops/backup',
      'ops/restore',
      'ops/verify-backup',
      'ops/bootstrap-vps',
      'ops/deploy',
      'ops/rollback',
      'ops/update',
      'ops/health-check',
      'ops/migrate-vps',
      'ops/cron/entrypoint',
      'ops/cron/healthcheck',
      'ops/ci/install-tools.sh',
    ]) {
      expect(names).toContain(name)
    }
  })

  it('pass shellcheck with no finding at all', async () => {
    const result = await run(['shellcheck', '--external-sources', '--severity=style', ...scripts])
    expect(result.stdout + result.stderr).toBe('')
    expect(result.exitCode).toBe(0)
  })

  it.each(names)('%s --help exits 0 with a usage text', async (name) => {
    const result = await run([name, '--help'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/' },
    })
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toMatch(/Usage:/)
  })

  it.each(names)('%s uses strict mode', (name) => {
    expect(readFileSync(join(repoRoot, name), 'utf8')).toContain('set -euo pipefail')
  })

  it('contain no hard-coded domain, address or secret', () => {
    for (const path of scripts) {
      const text = readFileSync(path, 'utf8')
      // Public package sources are the hosts a script may name: Docker's apt repository, and for the
      // CI base-image stand-in (ops/image/bun-base.sh) Debian's mirror and the npm registry, both
      // overridable. Compose service names (http://minio:9000) and loopback are fine; every other
      // host comes from .env.
      const hosts = [...text.matchAll(/https?:\/\/([^\s"'$):/}]+)/g)].map((match) => match[1]!)
      const publicSources = ['download.docker.com', 'deb.debian.org', 'registry.npmjs.org', '127.0.0.1']
      const foreign = hosts.filter((host) => host.includes('.') && !publicSources.includes(host))
      expect({ path, foreign }).toEqual({ path, foreign: [] })
      expect({ path, ip: /\b(?!127\.0\.0\.1)\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/.exec(text)?.[0] }).toEqual({
        path,
        ip: undefined,
      })
      expect({ path, secret: /(PASSWORD|SECRET|TOKEN)=[^$\s"']/.exec(text)?.[0] }).toEqual({
        path,
        secret: undefined,
      })
    }
  })
})

describe('guards', () => {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/' }

  it.each([
    [['ops/bootstrap-vps', '--deploy-user', 'root', '--dry-run'], 'must not be root'],
    [['ops/bootstrap-vps', '--ssh-port', '22;reboot', '--dry-run'], 'must be a port number'],
    [['ops/backup', '--label', '../etc'], 'letters, digits and dashes'],
    [['ops/backup'], 'PGDATABASE is not set'],
    [['ops/restore', '--target', 'x'], 'PGDATABASE'],
    [['ops/migrate-vps', 'upgrade'], 'export or import'],
    [['ops/health-check', '--only', 'everything'], "unknown group 'everything'"],
    [['ops/cron/entrypoint', 'rm'], "unknown command 'rm'"],
  ])('%p refuses with "%s"', async (command, message) => {
    const result = await run(command, { env })
    expect(result.exitCode).not.toBe(0)
    expect(result.stderr).toContain(message)
  })

  it('restore refuses an invalid new database name before touching anything', async () => {
    const result = await run(['ops/restore', '--target', 'Robert"; drop database x; --'], {
      env: { ...env, PGDATABASE: 'assembly', BACKUP_DIR: '/nonexistent' },
    })
    expect(result.exitCode).not.toBe(0)
    expect(result.stderr).toContain('not a valid new database name')
  })

  it('the backup cron entry point rejects a malformed BACKUP_TIME', async () => {
    const result = await run(['ops/cron/entrypoint'], { env: { ...env, BACKUP_TIME: '3am' } })
    expect(result.exitCode).not.toBe(0)
    expect(result.stderr).toContain('BACKUP_TIME must be HH:MM')
  })

  it('health-check --only system passes on a machine with room to spare', async () => {
    const result = await run(['ops/health-check', '--only', 'system'], {
      env: { ...env, DEPLOY_MIN_FREE_GB: '0', HEALTH_DISK_MAX_PERCENT: '100', HEALTH_MIN_MEMORY_MB: '1' },
    })
    expect(result.stdout).toMatch(/^OK {4}disk \/: /m)
    expect(result.stdout).toMatch(/^OK {4}memory: \d+ MB available$/m)
    expect(result.exitCode).toBe(0)
  })

  it('health-check fails on a failed or missing backup', async () => {
    const result = await run(['ops/health-check', '--only', 'backups'], {
      env: { ...env, BACKUP_DIR: '/nonexistent' },
    })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain('FAIL  no successful backup yet')
  })
})
