import { stat } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { Elysia } from 'elysia'

/** The part of web/dist/manifest.json (written by web/build.ts) the server reads. */
interface Manifest {
  pages: Record<string, { path: string; html: string }>
  assets: string[]
}

interface Loaded {
  mtimeMs: number
  /** URL path → HTML file name. */
  pages: Map<string, string>
  assets: Set<string>
  html: Map<string, { body: string; gzip: Uint8Array<ArrayBuffer>; etag: string }>
}

export interface WebAssetsOptions {
  /** The build output (default: web/dist of this checkout). */
  distDir?: string
  /** Written into each page so the tally screen can reach the WebSocket without signing in. */
  realtimeUrl?: string
}

const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
}

const IMMUTABLE = 'public, max-age=31536000, immutable'

// Pages load only their own hashed script and stylesheet; the WebSocket may be on another port or host.
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-cache',
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; " +
    "media-src 'self' blob:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'permissions-policy': 'camera=(self), microphone=(), geolocation=()',
}

const escapeAttribute = (text: string) =>
  text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)

const acceptsGzip = (request: Request) => /\bgzip\b/.test(request.headers.get('accept-encoding') ?? '')

/**
 * Serves the built web client: pages (HTML, `no-cache`, revalidated by ETag) at their paths and the
 * content-hashed assets under /assets/ (cached for a year, immutable), gzipped when the client
 * accepts it. Only files named in the build's manifest are served, so no path can reach anything
 * else. Returns undefined for /api paths and anything unknown (the API's 404 answers those), and
 * when nothing was built. The manifest is re-read when a new build replaces it.
 */
export function createWebAssets(options: WebAssetsOptions = {}) {
  const distDir = options.distDir ?? join(import.meta.dir, '..', '..', 'web', 'dist')
  const manifestPath = join(distDir, 'manifest.json')
  let loaded: Loaded | null = null
  let checkedAt = 0

  async function load(): Promise<Loaded | null> {
    // At most one stat a second: a rebuild shows up quickly without a syscall per request.
    if (loaded && Date.now() - checkedAt < 1000) return loaded
    checkedAt = Date.now()
    const info = await stat(manifestPath).catch(() => null)
    if (!info) {
      loaded = null
      return null
    }
    if (loaded?.mtimeMs === info.mtimeMs) return loaded
    const manifest = (await Bun.file(manifestPath).json()) as Manifest
    loaded = {
      mtimeMs: info.mtimeMs,
      pages: new Map(Object.values(manifest.pages).map((page) => [page.path, page.html])),
      assets: new Set(manifest.assets),
      html: new Map(),
    }
    return loaded
  }

  async function page(state: Loaded, file: string) {
    let cached = state.html.get(file)
    if (!cached) {
      const raw = await Bun.file(join(distDir, file)).text()
      const body = raw.replace(
        '<meta name="assembly-realtime" content="">',
        `<meta name="assembly-realtime" content="${escapeAttribute(options.realtimeUrl ?? '')}">`,
      )
      const etag = `"${Bun.hash(body).toString(36)}"`
      cached = { body, gzip: Bun.gzipSync(Buffer.from(body)) as Uint8Array<ArrayBuffer>, etag }
      state.html.set(file, cached)
    }
    return cached
  }

  return async function serveWeb(request: Request): Promise<Response | undefined> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined
    const { pathname } = new URL(request.url)
    if (pathname === '/api' || pathname.startsWith('/api/')) return undefined
    const state = await load()
    if (!state) return undefined
    const head = request.method === 'HEAD'
    const gzip = acceptsGzip(request)

    const pagePath = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname
    const htmlFile = state.pages.get(pagePath)
    if (htmlFile) {
      const { body, gzip: compressed, etag } = await page(state, htmlFile)
      const headers: Record<string, string> = { ...PAGE_HEADERS, etag, vary: 'accept-encoding' }
      if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers })
      if (gzip) headers['content-encoding'] = 'gzip'
      return new Response(head ? null : gzip ? compressed : body, { headers })
    }

    if (!state.assets.has(pathname)) return undefined
    const path = join(distDir, pathname)
    const headers: Record<string, string> = {
      'content-type': CONTENT_TYPES[extname(pathname)] ?? 'application/octet-stream',
      'cache-control': IMMUTABLE,
      'x-content-type-options': 'nosniff',
      vary: 'accept-encoding',
    }
    const compressed = Bun.file(`${path}.gz`)
    if (gzip && (await compressed.exists())) {
      headers['content-encoding'] = 'gzip'
      return new Response(head ? null : compressed, { headers })
    }
    const file = Bun.file(path)
    if (!(await file.exists())) return undefined
    return new Response(head ? null : file, { headers })
  }
}

/** The web client as an Elysia plugin: answers non-/api GET and HEAD requests it knows, before routing. */
export function webAssets(options: WebAssetsOptions = {}) {
  const serveWeb = createWebAssets(options)
  return new Elysia().onRequest(({ request }) => serveWeb(request))
}
