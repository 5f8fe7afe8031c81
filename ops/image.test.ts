/**
 * The production image, end to end, without a Docker engine: podman builds the Dockerfile's `release`
 * target unchanged (on a local stand-in for the oven/bun base, ops/image/bun-base.sh), runs migrate,
 * functions, realtime (with the vote writer) and bots from it as docker-compose.yml defines them (its
 * commands, environment lists, uid 1000, capabilities dropped, no-new-privileges, memory limits)
 * against the CI PostgreSQL (a private database) and Redis (an empty database number), with the real
 * nginx (production template, HTTPS with a self-signed certificate) in front. Through nginx: the home
 * page, the desk's camera permission, sign-in by an email code delivered over SMTP, a wss:// ticket
 * whose socket receives a vote's delta, and no /metrics. Then the image HEALTHCHECK and SIGTERM.
 * Skips with the reason printed when podman cannot run here (ASSEMBLY_IMAGE_TEST=required: fails).
 */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { chownSync, cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { openBus } from '../core/bus/index.ts'
import { silentLogger } from '../core/log.ts'
import { type SmtpSink, startSmtpSink } from '../core/mail/smtp-sink.ts'
import { createMotion } from '../core/motions/motions.ts'
import { createScenario, type Scenario } from '../core/motions/testing.ts'
import { createVoteQueue } from '../core/votes/queue.ts'
import { createVoteService } from '../core/votes/service.ts'
import { openDatabase } from '../db/client.ts'
import { people, users } from '../db/schema/index.ts'
import { withPlatformScope } from '../db/tenant.ts'
import {
  buildImage,
  type ContainerSpec,
  cacheDir,
  containerLogs,
  containerState,
  dockerfileBaseImage,
  ensureBaseImage,
  inspectImage,
  podman,
  podmanUnavailable,
  removeContainers,
  runContainer,
  waitExit,
} from './image/podman.ts'
import { clearRedisDatabase, compose, composeContainer, emptyRedisDatabase } from './image/stack.ts'
import { freePort, renderSite, startNginx, waitForHttp, writeSelfSignedCertificate } from './nginx/testing.ts'
import { createScratchDatabases, databaseUrlFor, stopProcess } from './testing.ts'

const reason =
  (await podmanUnavailable()) ??
  (process.env.DATABASE_URL && process.env.REDIS_URL
    ? null
    : 'needs DATABASE_URL and REDIS_URL (the CI PostgreSQL and Redis)')
if (reason && process.env.ASSEMBLY_IMAGE_TEST === 'required') {
  throw new Error(`ops/image.test.ts cannot run: ${reason}`)
}
if (reason) console.warn(`ops/image.test.ts skipped: ${reason}`)
const suite = reason ? describe.skip : describe

const run = `${Date.now().toString(36)}${crypto.randomUUID().slice(0, 4)}`
const tag = `localhost/assembly-app:e2e-${run}`
const work = mkdtempSync(join(tmpdir(), 'assembly-image-'))
const children: Bun.Subprocess[] = []
const containers: string[] = []
const databases = reason ? null : createScratchDatabases('image')
const domain = 'asambleas.test'
const ports = { functions: 0, realtime: 0, bots: 0, http: 0, https: 0 }
const email = `owner-${run}@example.com`
let base = ''
let sink: SmtpSink
let redisUrl = ''
let scenario: Scenario
let motionId = ''
const timings = { build: 0 }
let imageHealthcheck: string[] = []
const started = performance.now()

/** The container compose would start for `service`, on this test's ports and servers. */
function specFor(service: string, vars: Record<string, string>, dataDir: string): ContainerSpec {
  // The compose network names (postgres, redis) and fixed ports, replaced by the CI servers and free
  // ports: the containers share the host's network here.
  const overrides: Record<string, string> = {
    DATABASE_URL: vars.TEST_DATABASE_URL!,
    REDIS_URL: redisUrl,
    HOST: '127.0.0.1',
    FUNCTIONS_PORT: String(ports.functions),
    REALTIME_PORT: String(ports.realtime),
    BOTS_PORT: String(ports.bots),
  }
  const port = ports[service as 'functions' | 'realtime' | 'bots']
  if (port) overrides.HEALTH_PORT = String(port)
  return composeContainer(service, {
    name: `assembly-e2e-${run}-${service}`,
    image: tag,
    vars,
    overrides,
    volumes: [`${dataDir}:/app/data`],
  })
}

async function start(spec: ContainerSpec): Promise<string> {
  containers.push(spec.name)
  await runContainer(spec)
  return spec.name
}

afterAll(async () => {
  if (reason) return
  await removeContainers(containers).catch(() => {})
  await Promise.all(children.map((child) => stopProcess(child)))
  sink?.stop()
  if (redisUrl) await clearRedisDatabase(redisUrl).catch(() => {})
  await databases?.dropAll()
  await podman(['rmi', '-f', tag]).catch(() => {})
  // vfs copies every layer in full: keep the build cache for the next run, but not without bound
  // (each build adds gigabytes on a machine that runs CI again and again).
  const used = Number((Bun.spawnSync(['du', '-sb', cacheDir]).stdout.toString().split('\t')[0] ?? '0') || 0)
  if (used > 12e9) await podman(['image', 'prune', '-f']).catch(() => {})
  rmSync(work, { recursive: true, force: true })
  console.log(
    `image e2e: build ${timings.build.toFixed(0)} s, whole test ${((performance.now() - started) / 1000).toFixed(0)} s`,
  )
}, 300_000)

beforeAll(async () => {
  if (reason) return
  await ensureBaseImage()
  // Cold on a fresh cache directory; later runs reuse its layers (only COPY . . and after change).
  timings.build = (await buildImage(tag)).seconds
  const image = await inspectImage(tag)
  imageHealthcheck = image.healthcheck
  console.log(
    `image e2e: ${tag} on ${dockerfileBaseImage()} (stand-in): ${(image.sizeBytes / 1e6).toFixed(0)} MB, ` +
      `built in ${timings.build.toFixed(0)} s`,
  )

  for (const key of Object.keys(ports) as (keyof typeof ports)[]) ports[key] = freePort()
  sink = startSmtpSink()
  redisUrl = await emptyRedisDatabase(process.env.REDIS_URL!)
  const database = await databases!.create()
  const dataDir = join(work, 'data')
  mkdirSync(join(dataDir, 'documents'), { recursive: true })
  chownSync(dataDir, 1000, 1000)
  chownSync(join(dataDir, 'documents'), 1000, 1000)
  // What the operator's .env holds (ops/production.env.example with the change-me values filled in).
  const vars: Record<string, string> = {
    TEST_DATABASE_URL: databaseUrlFor(database),
    POSTGRES_PASSWORD: 'unused-the-test-database-url-replaces-it',
    REDIS_PASSWORD: 'unused-the-test-redis-url-replaces-it',
    PUBLIC_URL: `https://${domain}:${ports.https}`,
    SECRET_KEY: Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64'),
    SMTP_URL: sink.url,
    MAIL_FROM: `Asambleas <no-reply@${domain}>`,
    LOG_LEVEL: 'info',
  }

  const migrate = await start(specFor('migrate', vars, dataDir))
  const migrated = await waitExit(migrate, 600_000)
  if (migrated !== 0) throw new Error(`migrate exited ${migrated}:\n${await containerLogs(migrate)}`)

  // A PH with an open motion and an owner who has an account (the PH administrator's work, done here
  // directly: this test is about the image, not the admin console).
  const handle = await openDatabase({ url: vars.TEST_DATABASE_URL!, poolSize: 2 })
  const bus = openBus({ url: redisUrl })
  try {
    scenario = await withPlatformScope(handle.db, (tx) =>
      createScenario(tx, {
        units: [
          { number: 'A', coefficient: '60', present: 'remote' },
          { number: 'B', coefficient: '40', present: 'in_person' },
        ],
      }),
    )
    const motion = await createMotion(handle.db, {
      organizationId: scenario.organizationId,
      assemblyId: scenario.assemblyId,
      actor: { userId: null },
      title: 'Pintar la fachada',
    })
    motionId = motion.id
    const votes = createVoteService({ db: handle.db, bus, queue: createVoteQueue(bus), log: silentLogger })
    await votes.open({ organizationId: scenario.organizationId, motionId, actor: { userId: null } })
    const [user] = await handle.db.insert(users).values({ email }).returning()
    await withPlatformScope(handle.db, (tx) =>
      tx
        .update(people)
        .set({ userId: user!.id })
        .where(eq(people.id, scenario.owner('A'))),
    )
  } finally {
    await bus.close()
    await handle.close()
  }

  // One at a time: three vfs copies of the image at once compete for the disk on a loaded machine.
  for (const name of ['functions', 'realtime', 'bots']) await start(specFor(name, vars, dataDir))
  for (const [service, port] of [
    ['functions', ports.functions],
    ['realtime', ports.realtime],
    ['bots', ports.bots],
  ] as const) {
    try {
      await waitForHttp(`http://127.0.0.1:${port}/api/health`, 120_000)
    } catch (error) {
      const name = `assembly-e2e-${run}-${service}`
      throw new Error(`${service}: ${(error as Error).message}\n${await containerLogs(name)}`)
    }
  }

  // The web client as nginx-setup publishes it (web/dist of the image), and the production template.
  const mount = await podman(['image', 'mount', tag])
  if (mount.exitCode !== 0) throw new Error(`podman image mount: ${mount.stderr}`)
  cpSync(join(mount.stdout.trim(), 'app/web/dist'), join(work, 'web'), { recursive: true })
  await podman(['image', 'unmount', tag])
  mkdirSync(join(work, 'acme'), { recursive: true })
  const certs = writeSelfSignedCertificate(work, domain)
  const main = await renderSite(join(work, 'nginx'), work, {
    NGINX_MODE: 'https',
    DOMAIN: domain,
    NGINX_HTTP_PORT: String(ports.http),
    NGINX_HTTPS_PORT: String(ports.https),
    NGINX_TLS_CERT: certs.cert,
    NGINX_TLS_KEY: certs.key,
    FUNCTIONS_UPSTREAMS: `127.0.0.1:${ports.functions}`,
    REALTIME_UPSTREAMS: `127.0.0.1:${ports.realtime}`,
    BOTS_UPSTREAMS: `127.0.0.1:${ports.bots}`,
  })
  base = `https://127.0.0.1:${ports.https}`
  await startNginx(join(work, 'nginx'), main, `${base}/api/health`, children)
}, 45 * 60_000)

const tls = { rejectUnauthorized: false }
const get = (path: string, init: RequestInit = {}) => fetch(`${base}${path}`, { ...init, tls } as RequestInit)
const post = async (path: string, body: unknown, token?: string) => {
  const response = await get(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      origin: `https://${domain}:${ports.https}`,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

suite('the production image behind nginx (podman)', () => {
  let token = ''

  it('runs every process as uid 1000 without capabilities, no-new-privileges, within its memory limit', async () => {
    for (const service of ['functions', 'realtime', 'bots']) {
      const name = `assembly-e2e-${run}-${service}`
      const status = await podman(['exec', name, 'cat', '/proc/1/status'])
      expect({ service, uid: /^Uid:\s+(\d+)/m.exec(status.stdout)?.[1] }).toEqual({ service, uid: '1000' })
      expect({ service, caps: /^CapEff:\s+(\w+)/m.exec(status.stdout)?.[1] }).toEqual({
        service,
        caps: '0000000000000000',
      })
      expect({ service, nnp: /^NoNewPrivs:\s+(\d)/m.exec(status.stdout)?.[1] }).toEqual({ service, nnp: '1' })
      const memory = await podman(['inspect', '--format', '{{.HostConfig.Memory}}', name])
      const limit = compose.services[service]!.deploy.resources.limits.memory
      expect({ service, memory: Number(memory.stdout.trim()) }).toEqual({
        service,
        memory: Number.parseInt(limit, 10) * 1024 * 1024,
      })
    }
  })

  it('holds no tests, test harnesses or benchmark', async () => {
    const found = await podman([
      'exec',
      `assembly-e2e-${run}-functions`,
      'find',
      '/app',
      '-path',
      '/app/node_modules',
      '-prune',
      '-o',
      '(',
      '-name',
      '*.test.ts',
      '-o',
      '-name',
      'testing.ts',
      '-o',
      '-name',
      '_testing.ts',
      '-o',
      '-name',
      '*-testing.ts',
      '-o',
      '-path',
      '/app/ops/bench',
      '-o',
      '-path',
      '/app/web/tests',
      ')',
      '-print',
    ])
    expect(found.stdout.trim().split('\n').filter(Boolean)).toEqual([])
    // The production code is there (the same find would list it).
    const present = await podman(['exec', `assembly-e2e-${run}-functions`, 'ls', '/app/core/services.ts'])
    expect(present.stdout.trim()).toBe('/app/core/services.ts')
  })

  it('serves the home page at /', async () => {
    const response = await get('/')
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain('<body class="page-home">')
    expect(html).toContain('<title>Inicio · Asamblea 2.0</title>')
    expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000')
  })

  it('lets the desk page use the camera, and only the desk page', async () => {
    const desk = await get('/desk')
    expect(desk.status).toBe(200)
    expect(await desk.text()).toContain('page-desk')
    expect(desk.headers.get('permissions-policy')).toContain('camera=(self)')
    expect((await get('/vote')).headers.get('permissions-policy')).toContain('camera=()')
  })

  /** Signs in by an email code through nginx, once for every test that needs it (any order). */
  let signingIn: Promise<string> | null = null
  const signIn = () =>
    (signingIn ??= (async () => {
      const requested = await post('/api/auth/otp/request', { email })
      expect(requested.status).toBe(200)
      const mail = await sink.waitForMailTo(email)
      const code = /\b(\d{6})\b/.exec(mail.raw)?.[1]
      expect(code).toMatch(/^\d{6}$/)
      const verified = await post('/api/auth/otp/verify', { email, attempt: requested.body.attempt, code })
      expect(verified.status).toBe(200)
      return String(verified.body.token)
    })())

  it('signs in by an email code delivered over SMTP', async () => {
    token = await signIn()
    const session = await (
      await get('/api/auth/session', { headers: { authorization: `Bearer ${token}` } })
    ).json()
    expect(JSON.stringify(session)).toContain(email)
  })

  it('issues a wss:// realtime ticket whose socket receives a vote’s delta through nginx', async () => {
    token = await signIn()
    expect(token).not.toBe('')
    const ticket = await post('/api/realtime/ticket', {}, token)
    expect(ticket.status).toBe(200)
    const url = String(ticket.body.url)
    expect(url).toStartWith(`wss://${domain}:${ports.https}/ws?ticket=`)
    // The certificate's name does not resolve here: connect to nginx's address, same path and ticket.
    const socket = new WebSocket(url.replace(`wss://${domain}:`, 'wss://127.0.0.1:'), { tls } as never)
    const messages: Record<string, unknown>[] = []
    socket.addEventListener('message', (event) => messages.push(JSON.parse(String(event.data))))
    const next = async (predicate: (message: Record<string, unknown>) => boolean) => {
      const deadline = Date.now() + 20_000
      while (Date.now() < deadline) {
        const found = messages.find(predicate)
        if (found) return found
        await Bun.sleep(20)
      }
      throw new Error(`no such message; got ${JSON.stringify(messages).slice(0, 800)}`)
    }
    try {
      const hello = await next((message) => message.type === 'hello')
      expect(hello.readOnly).toBe(false)
      socket.send(JSON.stringify({ type: 'subscribe', assemblyId: scenario.assemblyId }))
      await next((message) => message.type === 'snapshot')
      const voted = await post(
        `/api/organizations/${scenario.organizationId}/motions/${motionId}/votes`,
        { ballots: [{ unitId: scenario.unit('A'), optionKeys: ['yes'] }] },
        token,
      )
      expect(voted.status).toBe(200)
      // Named results are sealed until close by default: the delta carries the turnout.
      type MotionDelta = { id: string; voted: { units: number } }
      const motionIn = (message: Record<string, unknown>) =>
        ((message.changes as { motions?: MotionDelta[] } | undefined)?.motions ?? []).find(
          (m) => m.id === motionId,
        )
      const delta = await next((message) => message.type === 'delta' && motionIn(message)?.voted.units === 1)
      expect(motionIn(delta)?.voted.units).toBe(1)
    } finally {
      socket.close()
    }
  })

  it('does not expose /metrics through nginx (the processes do serve it inside)', async () => {
    for (const path of ['/metrics', '/api/metrics', '/ws/../metrics', '/bots/metrics']) {
      const response = await get(path)
      const text = await response.text()
      expect({ path, exposed: text.includes('# TYPE') }).toEqual({ path, exposed: false })
    }
    const inside = await fetch(`http://127.0.0.1:${ports.realtime}/metrics`)
    expect(await inside.text()).toContain('# TYPE')
  })

  it('passes the image HEALTHCHECK in every process, and fails it when nothing answers', async () => {
    expect(imageHealthcheck[0]).toBe('CMD')
    const command = imageHealthcheck.slice(1)
    expect(command).toEqual(['bun', 'ops/docker/healthcheck.ts'])
    for (const service of ['functions', 'realtime', 'bots']) {
      const result = await podman(['exec', `assembly-e2e-${run}-${service}`, ...command])
      expect({ service, exitCode: result.exitCode, stderr: result.stderr }).toEqual({
        service,
        exitCode: 0,
        stderr: '',
      })
    }
    const dead = await podman([
      'exec',
      '--env',
      `HEALTH_PORT=${freePort()}`,
      `assembly-e2e-${run}-functions`,
      ...command,
    ])
    expect(dead.exitCode).toBe(1)
    expect(dead.stderr).toContain('did not answer')
  })

  it('stops every process cleanly on SIGTERM', async () => {
    for (const service of ['functions', 'realtime', 'bots']) {
      const name = `assembly-e2e-${run}-${service}`
      const stop = await podman(['stop', '--time', '25', name], 120_000)
      expect(stop.exitCode).toBe(0)
      const state = await containerState(name)
      const logs = await containerLogs(name)
      expect({ service, running: state.running, exitCode: state.exitCode }).toEqual({
        service,
        running: false,
        exitCode: 0,
      })
      expect(logs).toContain('shutting down')
      expect(logs).toContain('SIGTERM')
    }
    // Tests run in any order: bring the stack back for those that come after this one.
    for (const [service, port] of [
      ['functions', ports.functions],
      ['realtime', ports.realtime],
      ['bots', ports.bots],
    ] as const) {
      expect((await podman(['start', `assembly-e2e-${run}-${service}`], 120_000)).exitCode).toBe(0)
      await waitForHttp(`http://127.0.0.1:${port}/api/health`, 120_000)
    }
  }, 600_000)
})
