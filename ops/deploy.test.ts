/**
 * ops/deploy and ops/rollback without a Docker engine: a fake `docker` on PATH records every call,
 * keeps image tags in a file and reports containers healthy unless the release they run is marked
 * unhealthy. This proves the release bookkeeping and the automatic rollback, not Docker itself.
 */
import { afterAll, describe, expect, it } from 'bun:test'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repoRoot, run } from './testing.ts'

const fakeDocker = `#!/usr/bin/env bash
# Test double for docker: image tags in $FAKE_DOCKER_DIR/images ("image:tag release" lines).
set -euo pipefail
state="\${FAKE_DOCKER_DIR:?}"
images="$state/images"
touch "$images"
printf '%s APP_TAG=%s\\n' "$*" "\${APP_TAG:-}" >>"$state/calls"
lookup() { awk -v ref="$1" '$1 == ref { print $2 }' "$images" | tail -n1; }
set_ref() {
  { grep -v "^$1 " "$images" || true; echo "$1 $2"; } >"$images.tmp"
  mv "$images.tmp" "$images"
}
case "$1" in
  compose)
    shift
    while [[ "$1" == -* ]]; do shift 2; done
    case "$1" in
      version) echo 'Docker Compose version v2-fake' ;;
      config) printf '%s\\n' postgres redis migrate functions realtime nginx-setup nginx certbot backup ;;
      ps) echo "fake-$3" ;;
      run) if [ -n "\${FAKE_FAIL_MIGRATE:-}" ] && [[ "$*" == *migrate* ]]; then exit 1; fi ;;
    esac
    ;;
  build)
    ref=""
    while [ $# -gt 0 ]; do
      if [ "$1" = -t ]; then ref="$2"; fi
      shift
    done
    set_ref "$ref" "\${ref##*:}"
    ;;
  tag) set_ref "$3" "$(lookup "$2")" ;;
  image)
    case "$2" in
      inspect) [ -n "$(lookup "$3")" ] ;;
      ls) awk -v image="$3" 'index($1, image ":") == 1 { sub(/^[^:]*:/, "", $1); print $1 }' "$images" ;;
    esac
    ;;
  info) echo / ;;
  inspect)
    if [[ "$3" == *Health* ]]; then
      bad="\${FAKE_UNHEALTHY_RELEASE:-}"
      if [ -n "$bad" ] && [ "$(lookup assembly-app:current)" = "$bad" ]; then echo unhealthy; else echo healthy; fi
    else
      echo running
    fi
    ;;
esac
`

/** Every test gets a checkout, a fake docker and release state of its own (tests run in any order). */
const workDirs: string[] = []
afterAll(() => {
  for (const dir of workDirs) rmSync(dir, { recursive: true, force: true })
})

const envFileFor = (work: string) =>
  [
    'DOMAIN=asambleas.example.com',
    'POSTGRES_PASSWORD=0123456789abcdef',
    'REDIS_PASSWORD=fedcba9876543210',
    'NGINX_MODE=http',
    `DEPLOY_STATE_DIR=${join(work, 'state')}`,
    'DEPLOY_HEALTH_TIMEOUT=1',
    'DEPLOY_MIN_FREE_GB=0',
  ].join('\n')

function freshProject() {
  const work = mkdtempSync(join(tmpdir(), 'assembly-deploy-'))
  workDirs.push(work)
  const project = join(work, 'project')
  const fakeDir = join(work, 'docker')
  const envFile = envFileFor(work)
  mkdirSync(join(fakeDir, 'bin'), { recursive: true })
  writeFileSync(join(fakeDir, 'bin/docker'), fakeDocker, { mode: 0o755 })
  // A checkout of its own (outside git, so releases are named with --tag).
  mkdirSync(project)
  cpSync(join(repoRoot, 'ops'), join(project, 'ops'), { recursive: true })
  cpSync(join(repoRoot, 'docker-compose.yml'), join(project, 'docker-compose.yml'))
  writeFileSync(join(project, '.env'), envFile)
  const script = (name: string, args: string[], extra: Record<string, string> = {}) =>
    run([join(project, 'ops', name), ...args], {
      cwd: project,
      env: {
        PATH: `${join(fakeDir, 'bin')}:${process.env.PATH}`,
        HOME: work,
        FAKE_DOCKER_DIR: fakeDir,
        ...extra,
      },
      timeoutMs: 60_000,
    })
  const images = join(fakeDir, 'images')
  return {
    project,
    envFile,
    script,
    state: (file: string) => readFileSync(join(work, 'state', file), 'utf8').trim(),
    currentImage: () =>
      (existsSync(images) && /^assembly-app:current (\S+)$/m.exec(readFileSync(images, 'utf8'))?.[1]) ||
      'none',
    calls: () => (existsSync(join(fakeDir, 'calls')) ? readFileSync(join(fakeDir, 'calls'), 'utf8') : ''),
    /** Deploys a first, healthy release (the starting point of the rollback stories). */
    async deployed(tag: string) {
      expect((await script('deploy', ['--tag', tag])).exitCode).toBe(0)
    },
  }
}

describe('ops/deploy', () => {
  it('a dry run changes nothing', async () => {
    const { script, currentImage } = freshProject()
    const result = await script('deploy', ['--tag', 'v0', '--dry-run'])
    expect(result.exitCode).toBe(0)
    expect(result.stderr).toContain('dry run: would run: docker build --target release -t assembly-app:v0')
    expect(currentImage()).toBe('none')
  }, 60_000)

  it('builds, backs up, migrates with the new image, switches and records the release', async () => {
    const { script, currentImage, calls, state } = freshProject()
    const result = await script('deploy', ['--tag', 'v1'])
    expect(result.stderr).toContain('deployed v1')
    expect(result.exitCode).toBe(0)
    const log = calls()
    expect(log).toContain('build --target release -t assembly-app:v1')
    expect(log).toContain('build --target backup -t assembly-backup:v1')
    expect(log).toContain('exec -T backup /opt/assembly/ops/backup --label pre-deploy')
    expect(log).toMatch(/run --rm migrate APP_TAG=v1/)
    // The migration runs before anything is switched to the new release.
    expect(log.indexOf('run --rm migrate')).toBeLessThan(
      log.indexOf('tag assembly-app:v1 assembly-app:current'),
    )
    expect(currentImage()).toBe('v1')
    expect(state('current')).toBe('v1')
  }, 60_000)

  it('rolls back to the previous release by itself when the new one is unhealthy', async () => {
    const { script, currentImage, state, deployed } = freshProject()
    await deployed('v1')
    const result = await script('deploy', ['--tag', 'v2'], { FAKE_UNHEALTHY_RELEASE: 'v2' })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('release v2 is unhealthy: rolling back to v1')
    expect(result.stderr).toContain('v1 is running again')
    expect(currentImage()).toBe('v1')
    expect(state('current')).toBe('v1')
  }, 60_000)

  it('leaves the running release alone when the migrations fail', async () => {
    const { script, currentImage, deployed } = freshProject()
    await deployed('v1')
    const result = await script('deploy', ['--tag', 'v2b'], { FAKE_FAIL_MIGRATE: '1' })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('the migrations failed; the running release v1 is untouched')
    expect(currentImage()).toBe('v1')
  }, 60_000)

  it('refuses to run while .env still has change-me values', async () => {
    const { script, project, envFile } = freshProject()
    writeFileSync(join(project, '.env'), `${envFile}\nACME_EMAIL=change-me\n`)
    const result = await script('deploy', ['--tag', 'v9'])
    writeFileSync(join(project, '.env'), envFile)
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain('still has change-me values: ACME_EMAIL')
  }, 60_000)
})

describe('ops/rollback', () => {
  it('returns to the previous release only with --yes', async () => {
    const { script, currentImage, state, deployed } = freshProject()
    await deployed('v1')
    expect((await script('deploy', ['--tag', 'v3'])).exitCode).toBe(0)
    expect(state('previous')).toBe('v1')
    const refused = await script('rollback', [])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toContain('rolling back from v3 to v1')
    expect(refused.stderr).toContain('without --yes')
    expect(currentImage()).toBe('v3')
    const result = await script('rollback', ['--yes'])
    expect(result.exitCode).toBe(0)
    expect(currentImage()).toBe('v1')
    expect(state('current')).toBe('v1')
    expect(state('previous')).toBe('v3')
    expect(
      state('history')
        .split('\n')
        .map((line) => line.split(' ')[1]),
    ).toEqual(['v1', 'v3', 'v1'])
  }, 60_000)
})

describe('ops/deploy settings', () => {
  it('refuses the production example until its change-me secrets are replaced', async () => {
    const { script, project, envFile } = freshProject()
    const example = readFileSync(join(repoRoot, 'ops/production.env.example'), 'utf8')
    writeFileSync(join(project, '.env'), example)
    const result = await script('deploy', ['--tag', 'v8'])
    writeFileSync(join(project, '.env'), envFile)
    expect(result.exitCode).toBe(1)
    for (const name of ['SECRET_KEY', 'SMTP_URL', 'POSTGRES_PASSWORD', 'REDIS_PASSWORD']) {
      expect(result.stderr).toContain(name)
    }
  }, 60_000)

  it('keeps the COMPOSE_FILE overlays of .env and refreshes base images with --pull', async () => {
    const { script, project, envFile, calls } = freshProject()
    writeFileSync(join(project, '.env'), `${envFile}\nCOMPOSE_FILE=docker-compose.yml:ops/compose/pitr.yml\n`)
    const before = calls().length
    const result = await script('deploy', ['--tag', 'v7', '--pull'])
    writeFileSync(join(project, '.env'), envFile)
    expect(result.exitCode).toBe(0)
    const log = calls().slice(before)
    expect(log).toContain('build --pull --target release -t assembly-app:v7')
    expect(log).toContain('build --pull --target backup -t assembly-backup:v7')
    const composeCalls = log
      .split('\n')
      .filter((line) => line.startsWith('compose ') && !line.startsWith('compose version'))
    expect(composeCalls.length).toBeGreaterThan(3)
    for (const line of composeCalls) {
      expect(line).toContain(
        `-f ${join(project, 'docker-compose.yml')} -f ${join(project, 'ops/compose/pitr.yml')} `,
      )
    }
    const missing = await script('deploy', ['--tag', 'v7b'], { COMPOSE_FILE: 'docker-compose.yml:nope.yml' })
    expect(missing.exitCode).toBe(1)
    expect(missing.stderr).toContain('nope.yml, which does not exist')
  }, 60_000)
})
