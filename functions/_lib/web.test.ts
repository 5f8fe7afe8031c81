import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Elysia } from 'elysia'
import { createWebAssets, webAssets } from './web.ts'

let dist: string
let serve: ReturnType<typeof createWebAssets>

const PAGE =
  '<!doctype html><html><head><meta name="assembly-realtime" content=""></head><body>vote</body></html>'

beforeAll(async () => {
  dist = await mkdtemp(join(tmpdir(), 'web-dist-'))
  await Bun.write(join(dist, 'vote.html'), PAGE)
  await Bun.write(join(dist, 'home.html'), '<!doctype html><title>home</title>')
  await Bun.write(join(dist, 'assets', 'vote-abc123.js'), 'console.log(1)')
  await Bun.write(join(dist, 'assets', 'vote-abc123.js.gz'), Bun.gzipSync(Buffer.from('console.log(1)')))
  await Bun.write(join(dist, 'assets', 'app-def456.css'), 'body{}')
  await Bun.write(join(dist, 'secret.txt'), 'not for the web')
  await Bun.write(
    join(dist, 'manifest.json'),
    JSON.stringify({
      pages: { vote: { path: '/vote', html: 'vote.html' }, home: { path: '/', html: 'home.html' } },
      assets: ['/assets/app-def456.css', '/assets/vote-abc123.js'],
    }),
  )
  serve = createWebAssets({ distDir: dist, realtimeUrl: 'wss://example.test/ws?"x' })
})
afterAll(() => rm(dist, { recursive: true, force: true }))

const request = (path: string, init: RequestInit = {}) => new Request(`http://localhost${path}`, init)

describe('createWebAssets', () => {
  it('serves a page as no-cache HTML with its security headers and the realtime URL written in', async () => {
    const response = (await serve(request('/vote')))!
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    expect(response.headers.get('cache-control')).toBe('no-cache')
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'")
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.text()).toContain(
      '<meta name="assembly-realtime" content="wss://example.test/ws?&quot;x">',
    )
  })

  it.each([
    ['/', 'home'],
    ['/vote/', 'vote'],
  ])('maps %s to its page', async (path, body) => {
    expect(await (await serve(request(path)))!.text()).toContain(body)
  })

  it('answers 304 to a request with the current ETag', async () => {
    const etag = (await serve(request('/vote')))!.headers.get('etag')!
    const again = (await serve(request('/vote', { headers: { 'if-none-match': etag } })))!
    expect(again.status).toBe(304)
  })

  it.each([
    ['/assets/vote-abc123.js', 'text/javascript; charset=utf-8'],
    ['/assets/app-def456.css', 'text/css; charset=utf-8'],
  ])('serves %s with its type, cached for a year as immutable', async (path, type) => {
    const response = (await serve(request(path)))!
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe(type)
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  })

  it('sends the gzipped copy to a client that accepts gzip', async () => {
    const response = (await serve(
      request('/assets/vote-abc123.js', { headers: { 'accept-encoding': 'gzip, br' } }),
    ))!
    expect(response.headers.get('content-encoding')).toBe('gzip')
    expect(Buffer.from(Bun.gunzipSync(new Uint8Array(await response.arrayBuffer()))).toString()).toBe(
      'console.log(1)',
    )
  })

  it('answers HEAD with the headers and no body', async () => {
    const response = (await serve(request('/assets/vote-abc123.js', { method: 'HEAD' })))!
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
    expect(await response.text()).toBe('')
  })

  it.each([
    ['an API path', '/api/health'],
    ['a file outside the manifest', '/secret.txt'],
    ['the manifest itself', '/manifest.json'],
    ['a traversal', '/assets/../secret.txt'],
    ['an encoded traversal', '/assets/%2e%2e/secret.txt'],
    ['an absolute path', '//etc/passwd'],
    ['an unknown asset', '/assets/vote-000000.js'],
  ])('leaves %s to the API (undefined)', async (_name, path) => {
    expect(await serve(request(path))).toBeUndefined()
  })

  it('leaves other methods to the API', async () => {
    expect(await serve(request('/vote', { method: 'POST' }))).toBeUndefined()
  })

  it('serves nothing when no build exists', async () => {
    const none = createWebAssets({ distDir: join(dist, 'missing') })
    expect(await none(request('/vote'))).toBeUndefined()
  })
})

describe('webAssets', () => {
  it('answers pages before routing and lets /api routes through', async () => {
    const app = new Elysia().use(webAssets({ distDir: dist })).get('/api/ping', () => 'pong')
    expect(await (await app.handle(request('/vote'))).text()).toContain('vote')
    expect(await (await app.handle(request('/api/ping'))).text()).toBe('pong')
  })
})
