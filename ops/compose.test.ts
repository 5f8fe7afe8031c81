/**
 * docker-compose.yml, the Dockerfile and the metrics files, checked without a Docker engine:
 * `docker-compose config` (Debian's docker-compose validates against the compose schema and resolves
 * interpolation) plus structural rules read from the YAML itself.
 */
import { afterAll, describe, expect, it } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../core/config.ts'
import { repoRoot, run } from './testing.ts'

type Service = {
  image?: string
  build?: unknown
  profiles?: string[]
  restart?: string
  command?: string | string[]
  ports?: string[]
  networks?: string[]
  volumes?: string[]
  env_file?: string | string[]
  environment?: Record<string, string>
  healthcheck?: { test?: string[] | string; disable?: boolean }
  depends_on?: Record<string, { condition: string }>
  deploy?: { resources?: { limits?: { memory?: string; cpus?: string } } }
}
type Compose = {
  services: Record<string, Service>
  networks: Record<string, { internal?: boolean } | null>
  volumes: Record<string, unknown>
}

const composeText = readFileSync(join(repoRoot, 'docker-compose.yml'), 'utf8')
const compose = Bun.YAML.parse(composeText) as Compose
const services = Object.entries(compose.services)
const envExample = readFileSync(join(repoRoot, 'ops/production.env.example'), 'utf8')
const work = mkdtempSync(join(tmpdir(), 'assembly-compose-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const isOneShot = (service: Service) => service.restart === 'no'
const inDefaultProfile = (service: Service) => !service.profiles?.length
const bunServices = services.filter(([, service]) => service.image?.includes('APP_IMAGE'))
/** `${NAME:-fallback}` as written in the compose file (a plain string would read as a template). */
const interpolated = (name: string, fallback: string) => ['$', '{', name, ':-', fallback, '}'].join('')
const megabytes = (memory: string) => Number(/^(\d+)M$/.exec(memory)?.[1] ?? Number.NaN)

/** An .env like an operator's: the example with every change-me replaced. */
function writeEnv(dir: string, drop: string[] = []): void {
  const lines = envExample
    .replaceAll('change-me', 'a1b2c3d4e5f6')
    .split('\n')
    .filter((line) => !drop.some((name) => line.startsWith(`${name}=`)))
  writeFileSync(join(dir, '.env'), lines.join('\n'))
}

describe('docker-compose config (Debian docker-compose)', () => {
  const composeFile = join(repoRoot, 'docker-compose.yml')
  const allProfiles = ['--profile', 'dev', '--profile', 'metrics', '--profile', 'bots']
  /** docker-compose with the main file (plus `extraFiles`) and `projectDir` holding the .env. */
  const dockerCompose = (projectDir: string, args: string[], extraFiles: string[] = []) =>
    run([
      'docker-compose',
      '-f',
      composeFile,
      ...extraFiles.flatMap((file) => ['-f', file]),
      '--project-directory',
      projectDir,
      ...args,
    ])

  it('validates the file with every profile and lists every service', async () => {
    writeEnv(work)
    const config = await dockerCompose(work, [...allProfiles, 'config'])
    expect(config.stderr).not.toMatch(/ERROR|invalid|Unsupported/i)
    expect(config.exitCode).toBe(0)
    const listed = await dockerCompose(work, [...allProfiles, 'config', '--services'])
    expect(listed.stdout.trim().split('\n').sort()).toEqual(services.map(([name]) => name).sort())
  })

  it('merges the point-in-time-recovery override', async () => {
    writeEnv(work)
    const pitr = join(repoRoot, 'ops/compose/pitr.yml')
    const config = await dockerCompose(work, ['config'], [pitr])
    expect(config.exitCode).toBe(0)
    const merged = Bun.YAML.parse(config.stdout) as Compose
    expect(merged.services.postgres!.volumes!.map(String).join(' ')).toContain('/wal-archive')
    expect(Object.keys(merged.volumes)).toContain('pg-wal-archive')
  })

  it('starts the app from the production example once its change-me values are filled in', async () => {
    const dir = mkdtempSync(join(work, 'example-'))
    const filled: Record<string, string> = {
      SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
      SMTP_URL: 'smtp://mailer:secret@smtp.example.com:587',
      ACME_EMAIL: 'ops@example.com',
    }
    const changeMe = /^([A-Z0-9_]+)=change-me$/
    const lines = envExample.split('\n').map((line) => {
      const name = changeMe.exec(line)?.[1]
      return name ? `${name}=${filled[name] ?? 'a1b2c3d4e5f6'}` : line
    })
    writeFileSync(join(dir, '.env'), lines.join('\n'))
    const config = await dockerCompose(dir, ['--profile', 'bots', 'config'])
    expect(config.exitCode).toBe(0)
    const rendered = Bun.YAML.parse(config.stdout) as Compose
    for (const name of ['migrate', 'functions', 'realtime', 'bots']) {
      const env = Object.fromEntries(
        Object.entries(rendered.services[name]!.environment ?? {}).map(([key, value]) => [
          key,
          String(value ?? ''),
        ]),
      )
      const loaded = loadConfig(env)
      expect({ name, env: loaded.env, publicUrl: loaded.publicUrl }).toEqual({
        name,
        env: 'production',
        publicUrl: 'https://asambleas.example.com',
      })
      expect(loaded.realtimePublicUrl).toBe('wss://asambleas.example.com/ws')
      expect(loaded.databaseUrl).toBe('postgres://assembly:a1b2c3d4e5f6@postgres:5432/assembly')
      expect(loaded.mail.smtpUrl).toBe(filled.SMTP_URL!)
    }
    // The example as shipped does not start: its change-me secret is refused by the loader too.
    const unfilled = Object.fromEntries(
      envExample.split('\n').flatMap((line) => {
        const match = /^([A-Z0-9_]+)=(.*)$/.exec(line)
        return match ? [[match[1]!, match[2]!]] : []
      }),
    )
    expect(() =>
      loadConfig({ ...unfilled, DATABASE_URL: 'postgres://a@b/c', REDIS_URL: 'redis://r' }),
    ).toThrow('SECRET_KEY')
  }, 30_000)

  it('refuses to render without the passwords in .env', async () => {
    const dir = mkdtempSync(join(work, 'no-secrets-'))
    writeEnv(dir, ['POSTGRES_PASSWORD'])
    const config = await dockerCompose(dir, ['config'])
    expect(config.exitCode).not.toBe(0)
    expect(config.stderr).toContain('set POSTGRES_PASSWORD in .env')
  })
})

describe('docker-compose.yml structure', () => {
  it('gives every long-running service a health check and a restart policy', () => {
    for (const [name, service] of services) {
      if (isOneShot(service)) {
        expect({ name, disable: service.healthcheck?.disable }).toEqual({ name, disable: true })
        continue
      }
      expect({ name, test: Array.isArray(service.healthcheck?.test) }).toEqual({ name, test: true })
      expect({ name, restart: service.restart }).toEqual({ name, restart: 'unless-stopped' })
    }
  })

  it('checks health often enough to be healthy within the default deploy wait (180 s)', () => {
    const seconds = (duration: string) => {
      const [, amount, unit] = /^(\d+)([sm])$/.exec(duration) ?? []
      return Number(amount) * (unit === 'm' ? 60 : 1)
    }
    for (const [name, service] of services) {
      const interval = (service.healthcheck as { interval?: string } | undefined)?.interval
      if (isOneShot(service) || !interval) continue
      expect({ name, interval: seconds(interval) <= 60 }).toEqual({ name, interval: true })
    }
  })

  it('orders start-up with depends_on conditions that can be met', () => {
    for (const [name, service] of services) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        const target = compose.services[dependency]
        expect({ name, dependency, exists: target !== undefined }).toEqual({ name, dependency, exists: true })
        const expected = isOneShot(target!) ? 'service_completed_successfully' : 'service_healthy'
        expect({ name, dependency, condition }).toEqual({ name, dependency, condition: expected })
      }
    }
    expect(Object.keys(compose.services.functions!.depends_on!).sort()).toEqual([
      'migrate',
      'postgres',
      'redis',
    ])
    expect(Object.keys(compose.services.nginx!.depends_on!).sort()).toEqual([
      'functions',
      'nginx-setup',
      'realtime',
    ])
  })

  it('publishes ports only on nginx; optional tools only on the loopback interface', () => {
    for (const [name, service] of services) {
      if (name === 'nginx') {
        expect(service.ports).toEqual([
          `${interpolated('NGINX_PUBLISH_HTTP', '80')}:80`,
          `${interpolated('NGINX_PUBLISH_HTTPS', '443')}:443`,
        ])
      } else if (inDefaultProfile(service)) {
        expect({ name, ports: service.ports }).toEqual({ name, ports: undefined })
      } else {
        for (const port of service.ports ?? [])
          expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:/) })
      }
    }
  })

  it('keeps PostgreSQL and Redis on the internal data network only, in named volumes', () => {
    expect(compose.networks.data?.internal).toBe(true)
    for (const name of ['postgres', 'redis']) {
      const service = compose.services[name]!
      expect(service.networks).toEqual(['data'])
      for (const volume of service.volumes ?? [])
        expect(Object.keys(compose.volumes)).toContain(volume.split(':')[0]!)
    }
  })

  it('declares every named volume it mounts', () => {
    for (const [name, service] of services) {
      for (const volume of service.volumes ?? []) {
        const source = /^(\$\{[^}]+\}|[^:]+):/.exec(volume)![1]!
        if (source.startsWith('.') || source.startsWith('/')) continue
        // ${BACKUP_VOLUME:-backups}: the default is the named volume (a host path may replace it).
        const named = /^\$\{[A-Z_]+:-([^}]+)\}$/.exec(source)?.[1] ?? source
        expect({ name, named, declared: named in compose.volumes }).toEqual({ name, named, declared: true })
      }
    }
  })

  it('runs PostgreSQL 16 and Redis with AOF (fsync every second), a password and no eviction', () => {
    expect(compose.services.postgres!.image).toBe(`postgres:${interpolated('POSTGRES_VERSION', '16')}-alpine`)
    const redis = [compose.services.redis!.command].flat().join(' ')
    expect(redis).toContain('--appendonly yes --appendfsync everysec')
    expect(redis).toContain('requirepass')
    expect(redis).toContain('--maxmemory-policy noeviction')
  })

  it('gives each internet-facing process only the secrets it needs (no env_file)', () => {
    const backupOnly = /^(AWS_|BACKUP_S3|MINIO_|GRAFANA_)/
    const chat = /^(TELEGRAM_|WHATSAPP_|LLM_)/
    for (const name of ['migrate', 'functions', 'realtime', 'bots']) {
      const service = compose.services[name]!
      const keys = Object.keys(service.environment ?? {})
      expect({ name, envFile: service.env_file }).toEqual({ name, envFile: undefined })
      expect({ name, keys }).toEqual({
        name,
        keys: expect.arrayContaining(['SECRET_KEY', 'SMTP_URL', 'DATABASE_URL']),
      })
      expect({ name, backupKeys: keys.filter((key) => backupOnly.test(key)) }).toEqual({
        name,
        backupKeys: [],
      })
      const chatKeys = keys.filter((key) => chat.test(key))
      if (name === 'functions' || name === 'bots') expect(chatKeys).toContain('TELEGRAM_BOT_TOKEN')
      else expect({ name, chatKeys }).toEqual({ name, chatKeys: [] })
    }
    expect(
      Object.keys(compose.services.functions!.environment!).filter((key) => key.startsWith('LLM_')),
    ).toEqual([])
    // Every variable the example asks the operator for that the app needs reaches the app.
    for (const key of ['PUBLIC_URL', 'REALTIME_PUBLIC_URL', 'SECRET_KEY', 'SMTP_URL', 'MAIL_FROM'])
      expect(Object.keys(compose.services.functions!.environment!)).toContain(key)
  })

  it('reads configuration from .env and writes no secret inline', () => {
    for (const [name, service] of services) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (!/PASSWORD|SECRET|TOKEN|_KEY|_URL$/.test(key)) continue
        // A secret-bearing value may only be an interpolation from .env.
        const literal = String(value).replace(/\$\{[^}]+\}/g, '')
        expect({ name, key, literal }).toEqual({
          name,
          key,
          literal: expect.not.stringMatching(/[:@]\w{6,}@|^\w{8,}$/),
        })
        if (/PASSWORD|SECRET|TOKEN/.test(key))
          expect({ name, key, value }).toEqual({
            name,
            key,
            value: expect.stringMatching(/^\$\{[A-Z0-9_]+(:[-?][^}]*)?\}$/),
          })
      }
    }
    expect(composeText).not.toMatch(/change-me|password\s*[:=]\s*\w/i)
  })

  it('documents every variable it interpolates in ops/production.env.example', () => {
    const used = new Set([...composeText.matchAll(/\$\{([A-Z0-9_]+)/g)].map((match) => match[1]!))
    for (const name of used)
      expect({ name, documented: new RegExp(`^#? ?${name}=`, 'm').test(envExample) }).toEqual({
        name,
        documented: true,
      })
  })

  it('limits memory and CPU of every service, fitting a 4 GB VPS', () => {
    let platform = 0
    for (const [name, service] of services) {
      const limits = service.deploy?.resources?.limits
      expect({ name, memory: megabytes(limits?.memory ?? '') > 0, cpus: Number(limits?.cpus) > 0 }).toEqual({
        name,
        memory: true,
        cpus: true,
      })
      if (!isOneShot(service) && (inDefaultProfile(service) || name === 'bots'))
        platform += megabytes(limits!.memory!)
    }
    // Leave at least 1 GB of the 4 GB for the kernel, Docker and the page cache PostgreSQL relies on.
    expect(platform).toBeLessThanOrEqual(3072)
  })

  it('matches the resource table in ops/README.md', () => {
    const readme = readFileSync(join(repoRoot, 'ops/README.md'), 'utf8')
    // | `service` | profile | memory | cpus | notes |, with any column padding.
    const row = /^\|\s*`([a-z-]+)`\s*\|[^|]+\|\s*(\d+M)\s*\|\s*([\d.]+)\s*\|/gm
    const rows = new Map([...readme.matchAll(row)].map((match) => [match[1]!, [match[2], match[3]]]))
    for (const [name, service] of services) {
      const limits = service.deploy!.resources!.limits!
      expect({ name, row: rows.get(name) }).toEqual({ name, row: [limits.memory, limits.cpus] })
    }
  })

  it('puts the optional tools in their profiles and uses one image for every Bun process', () => {
    const platform = services.filter(([, service]) => inDefaultProfile(service)).map(([name]) => name)
    expect(platform.sort()).toEqual(
      [
        'backup',
        'certbot',
        'functions',
        'migrate',
        'nginx',
        'nginx-setup',
        'postgres',
        'realtime',
        'redis',
      ].sort(),
    )
    const profileOf = (name: string) => compose.services[name]?.profiles
    expect(profileOf('mailpit')).toEqual(['dev'])
    // MinIO stopped publishing images and MailHog is unmaintained: neither may come back.
    for (const dead of ['mailhog', 'minio', 'minio-init']) expect(compose.services[dead]).toBeUndefined()
    expect(composeText).not.toMatch(/mailhog\/|minio\//i)
    expect(profileOf('prometheus')).toEqual(['metrics'])
    expect(profileOf('grafana')).toEqual(['metrics'])
    expect(new Set(bunServices.map(([, service]) => service.image))).toEqual(
      new Set([`${interpolated('APP_IMAGE', 'assembly-app')}:${interpolated('APP_TAG', 'current')}`]),
    )
    const commands = Object.fromEntries(
      bunServices.map(([name, service]) => [name, [service.command].flat().join(' ')]),
    )
    expect(commands.functions).toBe('bun functions/_server.ts')
    expect(commands.realtime).toBe('bun realtime/server.ts')
    expect(commands.bots).toBe('bun bots/server.ts')
    expect(commands.migrate).toBe('bun db/migrate.ts')
  })
})

describe('Dockerfile', () => {
  const dockerfile = readFileSync(join(repoRoot, 'Dockerfile'), 'utf8')
  const stages = dockerfile.split(/^FROM /m).slice(1)
  const release = stages.find((stage) => / AS release\n/.test(stage))!

  it('is multi-stage on the official Bun image with production dependencies only', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2)
    expect(release).toStartWith('oven/bun:')
    expect(dockerfile).toContain('bun install --frozen-lockfile --production')
    expect(release).toContain('COPY --from=deps /app/node_modules ./node_modules')
  })

  it('runs as a non-root user with a HEALTHCHECK and no secrets', () => {
    expect(release).toMatch(/^USER bun$/m)
    expect(release).toMatch(/^HEALTHCHECK .*ops\/docker\/healthcheck\.ts/m)
    expect(dockerfile).not.toMatch(/^(ENV|ARG) .*(PASSWORD|SECRET|TOKEN)/m)
  })

  it('keeps .env and local state out of the build context', () => {
    const ignored = readFileSync(join(repoRoot, '.dockerignore'), 'utf8').split('\n')
    for (const entry of ['.env', 'node_modules', 'data', '.git']) expect(ignored).toContain(entry)
  })
})

describe('ops/docker/healthcheck.ts', () => {
  it('exits 0 on 200, 1 on an error status, 1 when nothing listens', async () => {
    let status = 200
    const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: () => new Response('{}', { status }) })
    try {
      const check = () => run(['bun', 'ops/docker/healthcheck.ts', String(server.port)])
      expect((await check()).exitCode).toBe(0)
      status = 503
      expect((await check()).exitCode).toBe(1)
    } finally {
      server.stop(true)
    }
    expect((await run(['bun', 'ops/docker/healthcheck.ts', String(server.port)])).exitCode).toBe(1)
  })
})

describe('metrics profile files', () => {
  it('provisions the Prometheus data source the dashboard uses', async () => {
    const datasources = Bun.YAML.parse(
      readFileSync(join(repoRoot, 'ops/metrics/grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
    ) as { datasources: { uid: string; url: string }[] }
    const dashboard = await Bun.file(
      join(repoRoot, 'ops/metrics/grafana/dashboards/assembly-overview.json'),
    ).json()
    const uid = datasources.datasources[0]!.uid
    expect(dashboard.panels.length).toBeGreaterThan(5)
    for (const panel of dashboard.panels) {
      expect(panel.datasource.uid).toBe(uid)
      expect(panel.targets.length).toBeGreaterThan(0)
      for (const target of panel.targets) expect(target.expr).toBeTruthy()
    }
  })

  it('scrapes every Bun process', () => {
    const prometheus = Bun.YAML.parse(readFileSync(join(repoRoot, 'ops/metrics/prometheus.yml'), 'utf8')) as {
      scrape_configs: { job_name: string }[]
    }
    expect(prometheus.scrape_configs.map((job) => job.job_name)).toEqual(
      expect.arrayContaining(['functions', 'realtime', 'bots']),
    )
  })
})
