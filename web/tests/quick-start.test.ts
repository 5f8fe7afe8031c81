import { afterAll, describe, expect, it } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { DEMO_ADMIN_EMAIL } from '../../db/seed.ts'
import { readUntil, stopProcess } from '../../ops/testing.ts'
import { CHROMIUM, freePort, hasChromium, SCREENSHOTS, signInAt } from './stack.ts'

/*
 * The README's quick start as a new user lives it: `bun start` with nothing configured (a fresh
 * DATA_DIR, no database or Redis URL), the address from the banner's first line opened in Chromium,
 * the demo administrator signed in with the code from the dev mailbox, one change made, and the live
 * quorum panel updating over the realtime socket. Then the same at the other local form of the
 * address (127.0.0.1), where passkeys cannot work and the sign-in page says why.
 */

if (!hasChromium) throw new Error('Chromium is missing: run `bash web/tests/install-chromium.sh` (CI does)')

const root = join(import.meta.dir, '..', '..')
const dataDir = mkdtempSync(join(tmpdir(), 'assembly-quick-start-'))
let child: Bun.Subprocess<'ignore', 'pipe', 'inherit'> | undefined
let browser: Browser | undefined

afterAll(async () => {
  await browser?.close().catch(() => {})
  if (child) await stopProcess(child)
  rmSync(dataDir, { recursive: true, force: true })
}, 30_000)

/** Console errors and failed requests a person would see in the browser's developer tools. */
function watchConsole(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  return errors
}

async function newContext(viewport = { width: 1366, height: 900 }): Promise<BrowserContext> {
  const context = await browser!.newContext({ locale: 'es-PA', timezoneId: 'America/Panama', viewport })
  context.setDefaultTimeout(15_000)
  return context
}

describe('the quick start', () => {
  it('opens a working site at the first address bun start prints', async () => {
    const ports = { functions: freePort(), realtime: freePort(), bots: freePort() }
    child = Bun.spawn(['bun', 'ops/start.ts'], {
      cwd: root,
      // What a new user has: no database, no Redis, no PUBLIC_URL.
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/root',
        DATA_DIR: dataDir,
        FUNCTIONS_PORT: String(ports.functions),
        REALTIME_PORT: String(ports.realtime),
        BOTS_PORT: String(ports.bots),
        LOG_LEVEL: 'warn',
      },
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'inherit',
    })
    // The banner's first line is the address to open; the demo accounts follow it.
    const [, address, admin] = await readUntil(
      child.stdout,
      /\n\nOpen (http:\/\/\S+?)\/ in your browser\n {2}Sign in +(\S+) \(administrator\)/,
      90_000,
    )
    // Keep the pipe drained (warnings would otherwise fill it and stall the server).
    const reader = child.stdout.getReader()
    void (async () => {
      while (!(await reader.read()).done) {}
    })().catch(() => {})
    expect(address).toBe(`http://localhost:${ports.functions}`)
    expect(admin).toBe(DEMO_ADMIN_EMAIL)

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    })
    const context = await newContext()
    const page = await context.newPage()
    const consoleErrors = watchConsole(page)

    // The first page: signed out, so the site asks to sign in, without an error in the console.
    await page.goto(`${address}/`)
    await page.waitForURL(/\/sign-in/)
    await page.getByRole('heading', { name: 'Ingresar' }).waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'quick-start-first-page.png') })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: join(SCREENSHOTS, 'quick-start-first-page-390.png'), fullPage: true })
    await page.setViewportSize({ width: 1366, height: 900 })
    expect(consoleErrors).toEqual([])

    await signInAt(address!, page, DEMO_ADMIN_EMAIL)
    const ids = await page.evaluate(async () => {
      const { organizations } = await (await fetch('/api/organizations')).json()
      const organizationId = organizations[0].id as string
      const { assemblies } = await (await fetch(`/api/organizations/${organizationId}/assemblies`)).json()
      return { organizationId, assemblyId: assemblies[0].id as string }
    })
    const adminUrl = `${address}/admin?organization=${ids.organizationId}#assembly=${ids.assemblyId}`
    await page.goto(adminUrl)
    const quorum = page.locator('#admin-quorum')
    // Units entitled to vote: the demo's 120 less those in arrears (voice but no vote, by default).
    const initial =
      (await quorum
        .getByText(/^0 de \d+ unidades$/)
        .first()
        .textContent()) ?? ''
    const entitled = Number(/de (\d+) unidades/.exec(initial)?.[1])
    expect(entitled).toBeGreaterThan(0)
    expect(entitled).toBeLessThanOrEqual(120)

    // One change through the page (a cookie-authenticated write: the Origin check passes).
    await page.getByLabel('Nuevo punto').fill('Informe de la junta')
    await page.getByRole('button', { name: 'Agregar punto' }).click()
    await page.locator('main').getByText('Punto agregado.').first().waitFor()

    // The desk checks a unit in from another tab; the admin's quorum panel updates live.
    const desk = await context.newPage()
    await desk.goto(`${address}/desk?organization=${ids.organizationId}&assembly=${ids.assemblyId}`)
    await desk.getByLabel('Buscar por unidad, nombre, correo o cédula').fill('1A')
    await desk.getByRole('button', { name: 'Buscar', exact: true }).click()
    await desk
      .getByRole('button', { name: /^Registrar entrada:/ })
      .first()
      .click()
    await desk.locator('.notice-ok').waitFor()
    await quorum.getByText(`1 de ${entitled} unidades`).waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'quick-start-admin-live.png'), fullPage: true })
    expect(consoleErrors).toEqual([])
    await context.close()

    // The other local form of the address works too; passkeys are explained, not offered.
    const ip = `http://127.0.0.1:${ports.functions}`
    for (const [name, viewport] of [
      ['1366', { width: 1366, height: 900 }],
      ['390', { width: 390, height: 844 }],
    ] as const) {
      const other = await newContext(viewport)
      const signInPage = await other.newPage()
      await signInPage.goto(`${ip}/sign-in`)
      await signInPage.getByRole('heading', { name: 'Llaves de acceso no disponibles aquí' }).waitFor()
      expect(await signInPage.getByRole('button', { name: 'Ingresar con llave de acceso' }).count()).toBe(0)
      await signInPage.screenshot({ path: join(SCREENSHOTS, `passkeys-on-ip-${name}.png`), fullPage: true })
      await other.close()
    }
    const other = await newContext()
    const ipPage = await other.newPage()
    await signInAt(ip, ipPage, DEMO_ADMIN_EMAIL)
    await ipPage.goto(adminUrl.replace(address!, ip))
    // The quorum panel is filled only from the realtime socket: the ticket was accepted from this origin.
    await ipPage.locator('#admin-quorum').getByText(`1 de ${entitled} unidades`).waitFor()
    await ipPage.getByLabel('Nuevo punto').fill('Varios')
    await ipPage.getByRole('button', { name: 'Agregar punto' }).click()
    await ipPage.locator('main').getByText('Punto agregado.').first().waitFor()
    await other.close()
  }, 180_000)
})
