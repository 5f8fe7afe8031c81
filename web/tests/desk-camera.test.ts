import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, eq } from 'drizzle-orm'
import { type Browser, chromium } from 'playwright-core'
import { createCheckInToken } from '../../core/assemblies/index.ts'
import { assemblies, attendance, organizations, people, units } from '../../db/schema/index.ts'
import { DEMO_DESK_EMAIL, DEMO_SLUG, seedDemo } from '../../db/seed.ts'
import { withPlatformScope } from '../../db/tenant.ts'
import { checkInKey } from '../../functions/organizations/[organizationId]/assemblies/_deps.ts'
import { qrVideo } from './fake-camera.ts'
import { CHROMIUM, hasChromium, SCREENSHOTS, type Stack, signInAt, startStack } from './stack.ts'

/*
 * The desk's QR check-in with a real camera stream: Chromium's fake camera plays a .y4m video of an
 * owner's check-in QR (made with the product's own token code), the desk page decodes it (Chromium on
 * Linux has no BarcodeDetector, so this is the jsQR path) and the owner's unit is checked in.
 */

if (!hasChromium) throw new Error('Chromium is missing: run `bash web/tests/install-chromium.sh` (CI does)')

const videoDir = mkdtempSync(join(tmpdir(), 'assembly-camera-'))
let stack: Stack
let camera: Browser | undefined

beforeAll(async () => {
  stack = await startStack()
  await seedDemo(stack.services.database.db, { onlyIntoEmpty: false })
}, 60_000)

afterAll(async () => {
  await camera?.close().catch(() => {})
  await stack?.stop()
  rmSync(videoDir, { recursive: true, force: true })
}, 30_000)

/** The demo PH and its assembly. */
async function demoAssembly() {
  return withPlatformScope(stack.services.database.db, async (tx) => {
    const [row] = await tx
      .select({ organizationId: organizations.id, assemblyId: assemblies.id })
      .from(organizations)
      .innerJoin(assemblies, eq(assemblies.organizationId, organizations.id))
      .where(eq(organizations.slug, DEMO_SLUG))
      .limit(1)
    return row!
  })
}

describe('the desk QR scanner', () => {
  it('checks an owner in from the camera', async () => {
    const db = stack.services.database.db
    const { organizationId, assemblyId, personId, unitId } = await withPlatformScope(db, async (tx) => {
      const [row] = await tx
        .select({
          organizationId: organizations.id,
          assemblyId: assemblies.id,
          personId: people.id,
          unitId: units.id,
        })
        .from(organizations)
        .innerJoin(assemblies, eq(assemblies.organizationId, organizations.id))
        .innerJoin(people, eq(people.organizationId, organizations.id))
        .innerJoin(units, eq(units.organizationId, organizations.id))
        .where(
          and(
            eq(organizations.slug, DEMO_SLUG),
            eq(people.email, 'propietario.3b@example.com'),
            eq(units.number, '3B'),
          ),
        )
        .limit(1)
      return row!
    })
    const token = createCheckInToken(checkInKey(stack.services), { assemblyId, personId })
    const video = join(videoDir, 'qr.y4m')
    await Bun.write(video, qrVideo(token))

    camera = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--use-fake-ui-for-media-stream',
        '--use-fake-device-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    })
    const context = await camera.newContext({ locale: 'es-PA', viewport: { width: 1366, height: 900 } })
    context.setDefaultTimeout(15_000)
    await context.grantPermissions(['camera'], { origin: stack.origin })
    const page = await context.newPage()
    await stack.signIn(page, DEMO_DESK_EMAIL, `/desk?organization=${organizationId}&assembly=${assemblyId}`)
    // The fallback path is what this test proves: no BarcodeDetector in Chromium on Linux.
    expect(await page.evaluate(() => 'BarcodeDetector' in window)).toBe(false)

    const button = page.getByRole('button', { name: 'Escanear con la cámara' })
    await button.click()
    // "Stop" only once the stream runs; then the scan checks the owner in.
    await page.getByRole('button', { name: 'Detener la cámara' }).waitFor()
    await page.locator('main').getByText(/3B/).first().waitFor()
    await page.locator('.notice-ok').waitFor()
    await page.screenshot({ path: join(SCREENSHOTS, 'desk-camera.png') })
    await page.screenshot({ path: join(SCREENSHOTS, 'desk-camera-full.png'), fullPage: true })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.locator('video').scrollIntoViewIfNeeded()
    await page.screenshot({ path: join(SCREENSHOTS, 'desk-camera-390.png') })

    const rows = await withPlatformScope(db, (tx) =>
      tx
        .select({ personId: attendance.personId, mode: attendance.mode })
        .from(attendance)
        .where(and(eq(attendance.assemblyId, assemblyId), eq(attendance.unitId, unitId))),
    )
    expect(rows).toEqual([{ personId, mode: 'in_person' }])

    // Stopping turns the camera off and the button back.
    await page.getByRole('button', { name: 'Detener la cámara' }).click()
    await button.waitFor()
    expect(await page.locator('video').count()).toBe(0)
    await context.close()
  }, 90_000)

  it('says the site address is misconfigured when the page is not at PUBLIC_URL', async () => {
    // The stack's PUBLIC_URL is http://localhost:<port>; the same server answers at 127.0.0.1.
    const ip = stack.origin.replace('localhost', '127.0.0.1')
    const context = await stack.newContext({ viewport: { width: 1366, height: 900 } })
    const page = await context.newPage()
    const { organizationId, assemblyId } = await demoAssembly()
    await signInAt(ip, page, DEMO_DESK_EMAIL, `/desk?organization=${organizationId}&assembly=${assemblyId}`)
    await page.locator('input[name="token"]').fill('not-a-real-code')
    await page.getByRole('button', { name: 'Registrar con código' }).click()
    const alert = page.getByRole('alert').filter({ hasText: 'La dirección del sitio está mal configurada' })
    await alert.waitFor()
    expect(await page.getByText('Su cuenta no tiene permiso para esto.').count()).toBe(0)
    await page.screenshot({ path: join(SCREENSHOTS, 'origin-mismatch.png') })
    await context.close()
  }, 60_000)

  it('says why when the camera cannot be used, and never claims it is running', async () => {
    // The stack's browser has no fake camera and no camera permission.
    const context = await stack.newContext({ viewport: { width: 1366, height: 900 } })
    const page = await context.newPage()
    const { organizationId, assemblyId } = await demoAssembly()
    await stack.signIn(page, DEMO_DESK_EMAIL, `/desk?organization=${organizationId}&assembly=${assemblyId}`)
    await page.getByRole('button', { name: 'Escanear con la cámara' }).click()
    const alert = page
      .getByRole('alert')
      // No device, no permission, or (on a loaded machine) a device that fails to open: each says why.
      .filter({
        hasText:
          /No se encontró ninguna cámara|El navegador no dio permiso para usar la cámara|No se pudo abrir la cámara/,
      })
    await alert.waitFor({ timeout: 20_000 })
    await page.getByRole('button', { name: 'Escanear con la cámara' }).waitFor()
    expect(await page.getByRole('button', { name: 'Detener la cámara' }).count()).toBe(0)
    expect(await page.locator('video').count()).toBe(0)
    await page.screenshot({ path: join(SCREENSHOTS, 'desk-no-camera.png') })
    await context.close()
  }, 60_000)
})
