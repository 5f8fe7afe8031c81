/**
 * Builds the web client into web/dist: one minified, content-hashed ES module per page (no shared
 * chunks: one request per page on a weak connection; only the desk's QR decoder is loaded on demand),
 * one hashed stylesheet, a static HTML file per
 * page referencing them, gzipped copies, and manifest.json for the server (functions/_lib/web.ts).
 * Prints each page's JavaScript size; exits 1 when the voting page is over its budget.
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { escapeHtml } from '../core/communications/email-html.ts'
import { PAGES, type PageDefinition, VOTE_PAGE_BUDGET_BYTES } from './pages.ts'

export interface PageAssets {
  path: string
  html: string
  js: string
  css: string
  jsBytes: number
  jsGzipBytes: number
}

export interface WebManifest {
  builtAt: string
  pages: Record<string, PageAssets>
  /** Every file under assets/, as URL paths (/assets/vote-1a2b3c.js). */
  assets: string[]
}

const webDir = import.meta.dir
function pageHtml(page: PageDefinition, js: string, css: string): string {
  return `<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · Asamblea 2.0</title>
<meta name="description" content="${escapeHtml(page.description)}">
<meta name="theme-color" content="#123a6b">
<meta name="assembly-realtime" content="">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/${css}">
<script type="module" src="/${js}"></script>
</head>
<body class="page-${page.name}">
<a class="skip-link" href="#main">Saltar al contenido</a>
<header id="top" class="site-header"><div class="bar"><a class="brand" href="/">Asamblea 2.0</a></div></header>
<main id="main" tabindex="-1">
<p class="loading">Cargando…</p>
<noscript><p class="notice notice-error">Esta página necesita JavaScript. / This page needs JavaScript.</p></noscript>
</main>
<div id="live" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true"></div>
</body>
</html>
`
}

async function writeWithGzip(path: string, content: string): Promise<void> {
  await Bun.write(path, content)
  await Bun.write(`${path}.gz`, Bun.gzipSync(Buffer.from(content), { level: 9 }))
}

function fail(message: string, logs: unknown[]): never {
  console.error(message)
  for (const log of logs) console.error(log)
  throw new Error(message)
}

/** Builds a module (under web/src) that pages load on demand into `assetsDir`: its URL and its files. */
async function buildLazyModule(assetsDir: string, source: string[], what: string) {
  const built = await Bun.build({
    entrypoints: [join(webDir, 'src', ...source)],
    outdir: assetsDir,
    naming: '[name]-[hash].[ext]',
    target: 'browser',
    format: 'esm',
    minify: true,
  })
  if (!built.success || !built.outputs[0]) fail(`web build failed (${what})`, built.logs)
  return { url: `/assets/${basename(built.outputs[0].path)}`, outputs: built.outputs }
}

/** Builds every page into `outDir` (default web/dist) and returns the manifest written there. */
export async function buildWeb(outDir = join(webDir, 'dist')): Promise<WebManifest> {
  await rm(outDir, { recursive: true, force: true })
  const assetsDir = join(outDir, 'assets')
  await mkdir(assetsDir, { recursive: true })

  // The desk's QR decoder is its own module, loaded only by browsers without BarcodeDetector.
  const decoder = await buildLazyModule(assetsDir, ['desk', 'qr-decoder.ts'], 'QR decoder')
  // The web chat widget too: pages carry only its launcher and fetch it on the first press.
  const widget = await buildLazyModule(assetsDir, ['chat', 'widget.ts'], 'chat widget')

  const scripts = await Bun.build({
    entrypoints: PAGES.map((page) => join(webDir, 'src', 'pages', `${page.name}.ts`)),
    outdir: assetsDir,
    naming: '[name]-[hash].[ext]',
    target: 'browser',
    format: 'esm',
    minify: true,
    splitting: false,
    define: {
      'process.env.NODE_ENV': '"production"',
      QR_DECODER_URL: JSON.stringify(decoder.url),
      CHAT_WIDGET_URL: JSON.stringify(widget.url),
    },
    // Loaded at run time by URL, not bundled.
    external: ['/assets/*'],
  })
  if (!scripts.success) fail('web build failed (scripts)', scripts.logs)
  const styles = await Bun.build({
    entrypoints: [join(webDir, 'src', 'styles', 'app.css')],
    outdir: assetsDir,
    naming: '[name]-[hash].[ext]',
    minify: true,
  })
  if (!styles.success) fail('web build failed (styles)', styles.logs)
  const cssOutput = styles.outputs.find((output) => output.path.endsWith('.css'))
  if (!cssOutput) fail('web build produced no stylesheet', [])
  const css = `assets/${basename(cssOutput.path)}`

  const outputs = [...decoder.outputs, ...widget.outputs, ...scripts.outputs, ...styles.outputs]
  for (const output of outputs) {
    const bytes = new Uint8Array(await output.arrayBuffer())
    await Bun.write(`${output.path}.gz`, Bun.gzipSync(bytes, { level: 9 }))
  }

  const pages: Record<string, PageAssets> = {}
  for (const page of PAGES) {
    const pattern = new RegExp(`^${page.name}-[a-z0-9]+\\.js$`)
    const output = scripts.outputs.find(
      (item) => item.kind === 'entry-point' && pattern.test(basename(item.path)),
    )
    if (!output) fail(`web build produced no script for ${page.name}`, [])
    const bytes = new Uint8Array(await output.arrayBuffer())
    const js = `assets/${basename(output.path)}`
    const html = `${page.name}.html`
    await writeWithGzip(join(outDir, html), pageHtml(page, js, css))
    pages[page.name] = {
      path: page.path,
      html,
      js,
      css,
      jsBytes: bytes.byteLength,
      jsGzipBytes: Bun.gzipSync(bytes, { level: 9 }).byteLength,
    }
  }
  const manifest: WebManifest = {
    builtAt: new Date().toISOString(),
    pages,
    assets: outputs.map((output) => `/assets/${basename(output.path)}`).sort(),
  }
  // Written last: the server treats a manifest as "the build is complete".
  await Bun.write(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`)
  return manifest
}

/** Newest modification time (ms) of the client's sources: web/src, the page list and this build script. */
async function newestSourceMtime(): Promise<number> {
  const files = (await readdir(join(webDir, 'src'), { recursive: true })).map((file) =>
    join(webDir, 'src', file),
  )
  files.push(join(webDir, 'pages.ts'), join(webDir, 'build.ts'))
  const times = await Promise.all(files.map((file) => stat(file).then((info) => info.mtimeMs)))
  return Math.max(...times)
}

/**
 * Builds web/dist when it is missing or older than its sources (a cheap check: modification times of
 * web/src against the manifest, which is written last). Returns whether it built and how long it took.
 */
export async function ensureWebBuilt(outDir = join(webDir, 'dist')): Promise<{ built: boolean; ms: number }> {
  const started = performance.now()
  const built = await stat(join(outDir, 'manifest.json')).catch(() => null)
  if (built && built.mtimeMs >= (await newestSourceMtime())) return { built: false, ms: 0 }
  await buildWeb(outDir)
  return { built: true, ms: Math.round(performance.now() - started) }
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`

if (import.meta.main) {
  const started = performance.now()
  const manifest = await buildWeb()
  console.log('page        path        JS (min)    JS (gzip)')
  for (const [name, page] of Object.entries(manifest.pages)) {
    console.log(
      `${name.padEnd(11)} ${page.path.padEnd(11)} ${kb(page.jsBytes).padStart(9)} ${kb(page.jsGzipBytes).padStart(11)}`,
    )
  }
  const vote = manifest.pages.vote!
  const verdict = vote.jsGzipBytes <= VOTE_PAGE_BUDGET_BYTES ? 'within' : 'OVER'
  console.log(
    `voting page JavaScript: ${kb(vote.jsGzipBytes)} gzipped, ${verdict} the ${kb(VOTE_PAGE_BUDGET_BYTES)} budget`,
  )
  console.log(`built web/dist in ${Math.round(performance.now() - started)} ms`)
  if (vote.jsGzipBytes > VOTE_PAGE_BUDGET_BYTES) process.exit(1)
}
