import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { mkdtemp, rm, stat, utimes } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildWeb, ensureWebBuilt, type WebManifest } from './build.ts'
import { PAGES, VOTE_PAGE_BUDGET_BYTES } from './pages.ts'

let outDir: string
let manifest: WebManifest

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'web-build-'))
  manifest = await buildWeb(outDir)
})
afterAll(() => rm(outDir, { recursive: true, force: true }))

describe('the web build', () => {
  it('keeps the voting page under its JavaScript budget (gzipped)', () => {
    const vote = manifest.pages.vote!
    // Printed so every CI run shows the number, not only a failure.
    console.log(
      `voting page JavaScript: ${(vote.jsGzipBytes / 1024).toFixed(1)} KB gzipped (budget ${VOTE_PAGE_BUDGET_BYTES / 1024} KB)`,
    )
    expect(vote.jsGzipBytes).toBeLessThanOrEqual(VOTE_PAGE_BUDGET_BYTES)
  })

  it('writes one page per definition, each referencing its own hashed script and the hashed stylesheet', async () => {
    expect(Object.keys(manifest.pages).sort()).toEqual(PAGES.map((page) => page.name).sort())
    for (const page of Object.values(manifest.pages)) {
      expect(page.js).toMatch(/^assets\/[a-z-]+-[a-z0-9]+\.js$/)
      expect(page.css).toMatch(/^assets\/app-[a-z0-9]+\.css$/)
      const html = await Bun.file(join(outDir, page.html)).text()
      expect(html).toContain(`<script type="module" src="/${page.js}"></script>`)
      expect(html).toContain(`<link rel="stylesheet" href="/${page.css}">`)
      expect(html).toContain('aria-live="polite"')
    }
  })

  it('lists every asset with a gzipped copy beside it', async () => {
    for (const asset of manifest.assets) {
      expect(await Bun.file(join(outDir, asset)).exists()).toBe(true)
      expect(await Bun.file(join(outDir, `${asset}.gz`)).exists()).toBe(true)
    }
  })

  it('names assets by content: the same sources build the same names', async () => {
    const again = await buildWeb(await mkdtemp(join(tmpdir(), 'web-build-')))
    expect(again.assets).toEqual(manifest.assets)
  })

  it('builds for `bun start` only when the output is missing or older than web/src', async () => {
    const manifestPath = join(outDir, 'manifest.json')
    expect(await ensureWebBuilt(outDir)).toEqual({ built: false, ms: 0 })
    await utimes(manifestPath, new Date(0), new Date(0))
    expect((await ensureWebBuilt(outDir)).built).toBe(true)
    expect((await stat(manifestPath)).mtimeMs).toBeGreaterThan(0)
    const empty = await mkdtemp(join(tmpdir(), 'web-build-'))
    try {
      expect((await ensureWebBuilt(empty)).built).toBe(true)
      expect(await Bun.file(join(empty, 'manifest.json')).exists()).toBe(true)
    } finally {
      await rm(empty, { recursive: true, force: true })
    }
  })

  it('builds the QR decoder as its own asset, not into the desk page', async () => {
    const decoder = manifest.assets.find((asset) => /^\/assets\/qr-decoder-[a-z0-9]+\.js$/.test(asset))
    expect(decoder).toBeDefined()
    const desk = await Bun.file(join(outDir, manifest.pages.desk!.js)).text()
    expect(desk).toContain(`import("${decoder}")`)
    expect(desk).not.toContain('inversionAttempts')
  })
})
