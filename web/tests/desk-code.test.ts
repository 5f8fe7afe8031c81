import { beforeAll, describe, expect, it } from 'bun:test'
import { mkdirSync } from 'node:fs'
import { checkIn, hasChromium, type Room, roomInProgress, stackForTests } from './stack.ts'

/*
 * The desk hands a checked-in owner whose email does not arrive a one-time sign-in code (issue #13):
 * staff press "Código de ingreso" on the desk page, the owner scans the QR with their phone and is in.
 */

if (!hasChromium) throw new Error('Chromium is missing: run `bash web/tests/install-chromium.sh` (CI does)')

const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots/i13'
const run = crypto.randomUUID().slice(0, 8)
const ownerEmail = `lucia-${run}@example.org`
const stack = stackForTests()
let deskUrl = ''
let assemblyPath = ''
let adminApi: Room['api']
const staffEmail = `mesa-${run}@example.org`

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  const room = await roomInProgress(stack, {
    units: [
      `101;F-101;60;Lucía Méndez;${ownerEmail};;sí`,
      `102;F-102;40;Mario Ríos;mario-${run}@example.org;;sí`,
    ],
    agenda: ['Informe de la administración'],
    staffEmail,
  })
  ;({ assemblyPath, api: adminApi } = room)
  await checkIn(adminApi, assemblyPath, room.owners['101']!.personId)
  deskUrl = `${stack.origin}/desk?organization=${room.organizationId}&assembly=${room.assemblyId}`
}, 90_000)

describe('desk-issued sign-in code', () => {
  it('is shown with its QR at the desk, signs the owner in once from the QR link', async () => {
    const desk = await stack.openPage(
      { width: 1366, height: 900 },
      { email: staffEmail, next: deskUrl.slice(stack.origin.length) },
    )
    await desk.getByLabel(/Buscar por unidad/).fill('101')
    await desk.getByRole('button', { name: 'Código de ingreso' }).click()
    const card = desk.locator('#desk-code')
    await card.getByText('Para Lucía Méndez').waitFor()
    const code = (await card.locator('.desk-code-value').textContent())!
    expect(code).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/)
    await card.locator('svg[role="img"]').waitFor()
    await desk.screenshot({ path: `${SHOTS}/desk-code-1366.png`, fullPage: true })
    await desk.setViewportSize({ width: 390, height: 844 })
    await card.scrollIntoViewIfNeeded()
    await desk.screenshot({ path: `${SHOTS}/desk-code-390.png` })

    const phone = await stack.openPage({ width: 390, height: 844 })
    await phone.goto(`${stack.origin}/sign-in?desk=${encodeURIComponent(code)}`)
    await phone.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
    const me = await phone.evaluate(async () => (await fetch('/api/auth/session')).json())
    expect(me.user.email).toBe(ownerEmail)

    // Used once: the same link on another phone is refused with the desk's words, not retried.
    const other = await stack.openPage({ width: 390, height: 844 })
    await other.goto(`${stack.origin}/sign-in?desk=${encodeURIComponent(code)}`)
    await other.getByText('El código no es válido, ya se usó o venció.').waitFor()
    await other.screenshot({ path: `${SHOTS}/sign-in-desk-used-390.png`, fullPage: true })
  }, 90_000)

  it('records a desk ballot for a present owner and shows a receipt to print', async () => {
    const motionId = (await adminApi('POST', `${assemblyPath}/motions`, { title: 'Pintar la fachada' }))
      .id as string
    await adminApi('POST', `/motions/${motionId}/open`)
    const desk = await stack.openPage(
      { width: 1366, height: 900 },
      { email: staffEmail, next: deskUrl.slice(stack.origin.length) },
    )
    await desk.getByLabel(/Buscar por unidad/).fill('101')
    const form = desk.locator('.desk-ballot').filter({ hasText: 'Pintar la fachada' })
    await form.waitFor()
    await form.getByLabel('Sí').check()
    await form.getByRole('button', { name: 'Registrar voto de la unidad 101' }).click()
    const receipt = desk.locator('#desk-receipt')
    await receipt.getByText('Unidad 101 · Pintar la fachada').waitFor()
    expect(await receipt.locator('.desk-code-value').textContent()).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/)
    await receipt.scrollIntoViewIfNeeded()
    await desk.screenshot({ path: `${SHOTS}/desk-ballot-receipt-1366.png` })
    await desk.setViewportSize({ width: 390, height: 844 })
    await desk.screenshot({ path: `${SHOTS}/desk-ballot-receipt-390.png` })
    const closed = (await adminApi('POST', `/motions/${motionId}/close`)) as {
      result: { totals: { tally: { options: { key: string; units: number }[] } } }
    }
    expect(closed.result.totals.tally.options.find((o) => o.key === 'yes')?.units).toBe(1)
  }, 90_000)

  it('shows the projector with the whole join QR at 1920×1080 and 1280×720', async () => {
    const link = (await adminApi('POST', `${assemblyPath}/screen-link`, {})) as { screenUrl: string }
    for (const [width, height] of [
      [1920, 1080],
      [1280, 720],
    ] as const) {
      const screen = await stack.openPage({ width, height })
      await screen.goto(link.screenUrl)
      // While no motion is shown the join QR is large in the main area too: every QR shown is whole.
      const qrs = screen.locator('.qr svg >> visible=true')
      await qrs.first().waitFor()
      await screen.getByRole('heading', { name: 'Quórum' }).waitFor()
      await screen.screenshot({ path: `${SHOTS}/projector-${width}x${height}.png` })
      for (const qr of await qrs.all()) {
        const box = (await qr.boundingBox())!
        expect(box.y).toBeGreaterThanOrEqual(0)
        expect(box.y + box.height).toBeLessThanOrEqual(height)
        expect(box.x + box.width).toBeLessThanOrEqual(width)
      }
    }
  }, 90_000)
})
