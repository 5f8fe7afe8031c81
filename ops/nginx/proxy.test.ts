/**
 * nginx on loopback in front of the real processes (`bun ops/start.ts`), rendered from the same
 * template as production in plain-HTTP mode, plus the HTTPS mode with a self-signed certificate.
 * /ws goes to the real realtime process (behind a dead first upstream): a tally screen subscribes
 * through nginx with a signed link and receives the assembly's snapshot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createScreenToken } from '../../core/realtime-tokens.ts'
import { DEMO_ADMIN_EMAIL } from '../../db/seed.ts'
import { createScratchDatabases, databaseUrlFor, readUntil, repoRoot, stopProcess } from '../testing.ts'
import { freePort, renderSite, startNginx, writeSelfSignedCertificate } from './testing.ts'

const work = mkdtempSync(join(tmpdir(), 'assembly-nginx-'))
const children: Bun.Subprocess[] = []
const databases = process.env.DATABASE_URL ? createScratchDatabases('proxy') : null
const secretKey = crypto.getRandomValues(new Uint8Array(32))
let screenToken = ''
let nginxBase = ''
let httpsPorts = { http: 0, https: 0 }

afterAll(async () => {
  await Promise.all(children.map((child) => stopProcess(child)))
  await databases?.dropAll()
  rmSync(work, { recursive: true, force: true })
}, 30_000)

const renderInto = (prefix: string, env: Record<string, string>) => renderSite(prefix, work, env)

beforeAll(async () => {
  // A built web client, as web/dist will look: a page and a hashed asset.
  mkdirSync(join(work, 'web/assets'), { recursive: true })
  mkdirSync(join(work, 'acme/.well-known/acme-challenge'), { recursive: true })
  // The build's file names (web/build.ts): one <page>.html each, `/` being home.html.
  writeFileSync(join(work, 'web/home.html'), '<!doctype html><title>Asambleas</title>')
  writeFileSync(join(work, 'web/desk.html'), '<!doctype html><title>Mesa de registro</title>')
  writeFileSync(join(work, 'web/vote.html'), '<!doctype html><title>Votar</title>')
  writeFileSync(join(work, 'web/assets/app-3f9a1c2b.js'), `console.log(${JSON.stringify('x'.repeat(4000))})`)
  writeFileSync(join(work, 'acme/.well-known/acme-challenge/token-1'), 'token-1.key')

  // The real processes, all in one: embedded PGlite, or a scratch PostgreSQL database when CI has one;
  // the in-process bus, so sign-in rate limits never accumulate in the shared Redis across runs.
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    DATA_DIR: join(work, 'data'),
    FUNCTIONS_PORT: '0',
    REALTIME_PORT: '0',
    BOTS_PORT: '0',
    LOG_LEVEL: 'warn',
    SECRET_KEY: Buffer.from(secretKey).toString('base64'),
    SEED_DEMO: 'true',
  }
  if (databases) env.DATABASE_URL = databaseUrlFor(await databases.create())
  const app = Bun.spawn(['bun', 'ops/start.ts'], { cwd: repoRoot, env, stdout: 'pipe', stderr: 'inherit' })
  children.push(app)
  const started = await readUntil(
    app.stdout,
    /API\s+http:\/\/[^:]+:(\d+)\/api\n[\s\S]*Realtime\s+ws:\/\/[^:]+:(\d+)\//,
    60_000,
  )
  const [, functionsPort, realtimePort] = started

  screenToken = await screenTokenForDemo(`http://127.0.0.1:${functionsPort}/api`)
  // Two realtime upstreams, the first one dead: nginx must still reach the live one.
  const deadPort = freePort()

  const port = freePort()
  const main = await renderInto(join(work, 'nginx-http'), {
    NGINX_MODE: 'http',
    NGINX_HTTP_PORT: String(port),
    FUNCTIONS_UPSTREAMS: `127.0.0.1:${functionsPort}`,
    REALTIME_UPSTREAMS: `127.0.0.1:${deadPort},127.0.0.1:${realtimePort}`,
    NGINX_AUTH_RATE: '1r/m',
    NGINX_AUTH_BURST: '3',
  })
  nginxBase = `http://127.0.0.1:${port}`
  await startNginx(join(work, 'nginx-http'), main, `${nginxBase}/`, children)

  const certs = writeSelfSignedCertificate(work, 'asambleas.test')
  httpsPorts = { http: freePort(), https: freePort() }
  const tlsMain = await renderInto(join(work, 'nginx-https'), {
    NGINX_MODE: 'https',
    DOMAIN: 'asambleas.test',
    NGINX_HTTP_PORT: String(httpsPorts.http),
    NGINX_HTTPS_PORT: String(httpsPorts.https),
    NGINX_TLS_CERT: certs.cert,
    NGINX_TLS_KEY: certs.key,
    FUNCTIONS_UPSTREAMS: `127.0.0.1:${functionsPort}`,
    REALTIME_UPSTREAMS: `127.0.0.1:${realtimePort}`,
  })
  await startNginx(join(work, 'nginx-https'), tlsMain, `http://127.0.0.1:${httpsPorts.http}/`, children)
}, 90_000)

describe('nginx in front of the processes (plain HTTP on loopback)', () => {
  it('proxies GET /api/health as JSON with a generated X-Request-Id', async () => {
    const response = await fetch(`${nginxBase}/api/health`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('application/json')
    expect(await response.json()).toEqual({ status: 'ok' })
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('keeps a sane incoming X-Request-Id end to end and replaces a malformed one', async () => {
    const kept = await fetch(`${nginxBase}/api/ready`, { headers: { 'x-request-id': 'req-test-123456' } })
    expect(kept.status).toBe(200)
    expect(await kept.json()).toEqual({ ready: true, database: true, bus: true })
    expect(kept.headers.get('x-request-id')).toBe('req-test-123456')
    const replaced = await fetch(`${nginxBase}/api/health`, { headers: { 'x-request-id': 'bad id!' } })
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f]{32}$/)
  })

  it('answers unknown API routes with the upstream JSON error, not an nginx page', async () => {
    const response = await fetch(`${nginxBase}/api/no-such-route`)
    expect(response.status).toBe(404)
    expect((await response.json()).error.code).toBe('not_found')
  })

  it('serves hashed assets with a one-year immutable cache, gzipped', async () => {
    const response = await fetch(`${nginxBase}/assets/app-3f9a1c2b.js`, {
      headers: { 'accept-encoding': 'gzip' },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(response.headers.get('content-type')).toContain('javascript')
    expect(response.headers.get('content-encoding')).toBe('gzip')
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(await response.text()).toContain('console.log')
  })

  it('serves pages with no-cache and security headers, and 404 for missing files', async () => {
    const page = await fetch(`${nginxBase}/`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>Asambleas</title>')
    expect(page.headers.get('cache-control')).toBe('no-cache')
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(page.headers.get('strict-transport-security')).toBeNull()
    expect((await fetch(`${nginxBase}/assets/missing-00000000.js`)).status).toBe(404)
  })

  it('serves / as the home page and /vote as vote.html, with the camera off', async () => {
    const home = await fetch(`${nginxBase}/`)
    expect(await home.text()).toContain('<title>Asambleas</title>')
    expect(home.headers.get('permissions-policy')).toContain('camera=()')
    const vote = await fetch(`${nginxBase}/vote`)
    expect(vote.status).toBe(200)
    expect(await vote.text()).toContain('<title>Votar</title>')
    expect(vote.headers.get('permissions-policy')).toContain('camera=()')
  })

  it('lets the desk page use the camera (QR scanner) and keeps its other headers', async () => {
    const desk = await fetch(`${nginxBase}/desk`)
    expect(desk.status).toBe(200)
    expect(await desk.text()).toContain('<title>Mesa de registro</title>')
    expect(desk.headers.get('permissions-policy')).toBe(
      'camera=(self), microphone=(), geolocation=(), payment=()',
    )
    expect(desk.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(desk.headers.get('x-frame-options')).toBe('DENY')
    expect(desk.headers.get('cache-control')).toBe('no-cache')
  })

  it('keeps screen and ticket tokens out of the access log', async () => {
    await fetch(`${nginxBase}/ws?screen=secret-screen-token-1`)
    await fetch(`${nginxBase}/ws?lang=es&ticket=secret-ticket-token-2`)
    await fetch(`${nginxBase}/vote?lang=es`)
    const logPath = join(work, 'nginx-http', 'access.log')
    const deadline = Date.now() + 5000
    let log = ''
    while (!log.includes('/vote?lang=es') && Date.now() < deadline) {
      log = await Bun.file(logPath).text()
      await Bun.sleep(20)
    }
    expect(log).toContain('"uri":"/vote?lang=es"')
    expect(log).toContain('"uri":"/ws?[token removed]"')
    expect(log).not.toContain('secret-screen-token-1')
    expect(log).not.toContain('secret-ticket-token-2')
  })

  it('answers the container health check on /nginx-health from loopback only', async () => {
    const response = await fetch(`${nginxBase}/nginx-health`)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('ok\n')
  })

  it('serves ACME challenge files from the webroot', async () => {
    const response = await fetch(`${nginxBase}/.well-known/acme-challenge/token-1`)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('token-1.key')
  })

  it('carries a tally-screen WebSocket subscription to the realtime process', async () => {
    const socket = new WebSocket(
      `${nginxBase.replace('http', 'ws')}/ws?screen=${encodeURIComponent(screenToken)}`,
    )
    const messages: { type: string; data?: { assembly: { title: string } } }[] = []
    socket.addEventListener('message', (event) => messages.push(JSON.parse(String(event.data))))
    const deadline = Date.now() + 10_000
    while (!messages.some((m) => m.type === 'snapshot') && Date.now() < deadline) await Bun.sleep(20)
    expect(messages[0]?.type).toBe('hello')
    const snapshot = messages.find((m) => m.type === 'snapshot')
    expect(snapshot?.data?.assembly.title).toBe('Asamblea Ordinaria Anual 2026')
    socket.send(JSON.stringify({ type: 'ping' }))
    while (!messages.some((m) => m.type === 'pong') && Date.now() < deadline) await Bun.sleep(20)
    expect(messages.some((m) => m.type === 'pong')).toBe(true)
    socket.close()
  })

  it('answers 429 with the JSON error shape on a burst to /api/auth/', async () => {
    const responses = []
    for (let i = 0; i < 8; i++) {
      responses.push(await fetch(`${nginxBase}/api/auth/otp/request`, { method: 'POST', body: '{}' }))
    }
    const statuses = responses.map((response) => response.status)
    // rate 1r/m with burst 3: the first 4 pass to the upstream, the rest are refused by nginx.
    expect(statuses.slice(0, 4)).not.toContain(429)
    expect(statuses.slice(4)).toEqual([429, 429, 429, 429])
    const limited = responses.at(-1)!
    expect(limited.headers.get('retry-after')).toBe('60')
    expect((await limited.json()).error.code).toBe('rate_limited')
    // Other API paths are not limited by the auth zone, nor is the session check every page load makes.
    expect((await fetch(`${nginxBase}/api/health`)).status).toBe(200)
    const pageLoads = []
    for (let i = 0; i < 20; i++) pageLoads.push((await fetch(`${nginxBase}/api/auth/session`)).status)
    expect(pageLoads).toEqual(Array(20).fill(200))
  })

  it('answers 503 JSON on /bots/ while no bots upstream is configured', async () => {
    const response = await fetch(`${nginxBase}/bots/telegram`, { method: 'POST', body: '{}' })
    expect(response.status).toBe(503)
    expect((await response.json()).error.code).toBe('bots_disabled')
  })
})

describe('nginx in HTTPS mode', () => {
  it('redirects HTTP to HTTPS but still serves ACME challenges on HTTP', async () => {
    const base = `http://127.0.0.1:${httpsPorts.http}`
    const redirect = await fetch(`${base}/api/health?x=1`, { redirect: 'manual' })
    expect(redirect.status).toBe(301)
    expect(redirect.headers.get('location')).toBe('https://127.0.0.1/api/health?x=1')
    expect(await (await fetch(`${base}/.well-known/acme-challenge/token-1`)).text()).toBe('token-1.key')
  })

  it('serves the API over TLS with HSTS', async () => {
    const response = await fetch(`https://127.0.0.1:${httpsPorts.https}/api/health`, {
      tls: { rejectUnauthorized: false },
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
    expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000')
  })
})

/** Signs in as the demo administrator (code from the dev mailbox) and makes a screen link locally. */
async function screenTokenForDemo(api: string): Promise<string> {
  const post = async (path: string, body: unknown) =>
    (
      await fetch(`${api}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json()
  const { attempt } = await post('/auth/otp/request', { email: DEMO_ADMIN_EMAIL })
  const { messages } = await (await fetch(`${api}/dev/mailbox?format=json`)).json()
  const code = String(messages[0].text).match(/\b(\d{6})\b/)![1]
  const { token } = await post('/auth/otp/verify', { email: DEMO_ADMIN_EMAIL, attempt, code })
  const headers = { authorization: `Bearer ${token}` }
  const { organizations } = await (await fetch(`${api}/organizations`, { headers })).json()
  const organizationId = organizations[0].id as string
  const { assemblies } = await (
    await fetch(`${api}/organizations/${organizationId}/assemblies`, { headers })
  ).json()
  return createScreenToken(secretKey, { organizationId, assemblyId: assemblies[0].id })
}
