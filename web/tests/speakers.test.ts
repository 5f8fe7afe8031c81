import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { mkdirSync } from 'node:fs'
import type { BrowserContext, Page } from 'playwright-core'
import { importUnits } from '../../core/ph/index.ts'
import { createTestOrganization, systemActor } from '../../core/ph/testing.ts'
import { createTestUser } from '../../functions/_lib/testing.ts'
import { assemblyBody } from '../../functions/organizations/[organizationId]/_testing.ts'
import { hasChromium, type Stack, startStack } from './stack.ts'

/*
 * The speaker queue and the projector (issue #13): an owner asks to speak from the phone, the
 * administrator gives the floor from the console, the projector shows who speaks and who is next,
 * the open vote's timer and the quorum chart, readable at 1920×1080 and 1280×720.
 */

if (!hasChromium) throw new Error('Chromium is missing: run `bash web/tests/install-chromium.sh` (CI does)')

const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots/speak'
const run = crypto.randomUUID().slice(0, 8)
let stack: Stack
const contexts: BrowserContext[] = []
let organizationId = ''
let assemblyPath = ''
let adminEmail = ''
let api: (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>
const personOf: Record<string, string> = {}

beforeAll(async () => {
  stack = await startStack()
  mkdirSync(SHOTS, { recursive: true })
  organizationId = (await createTestOrganization(stack.services.db)).id
  await importUnits(stack.services.db, {
    organizationId,
    csv: [
      'unidad;finca;coeficiente;propietario;email;telefono;al_dia',
      `T1-101;F-1;30;Lucía Méndez Castillo;lucia-${run}@example.org;;sí`,
      `T1-102;F-2;25;Mario Ríos;mario-${run}@example.org;;sí`,
      `T1-201;F-3;20;Ana Pérez;ana-${run}@example.org;;sí`,
      `T2-101;F-4;15;Bruno Díaz;bruno-${run}@example.org;;sí`,
      `T2-301;F-5;10;Carla Soto;carla-${run}@example.org;;sí`,
    ].join('\n'),
    actor: systemActor,
  })
  adminEmail = `admin-${run}@example.org`
  const admin = await createTestUser(stack.services, {
    email: adminEmail,
    roles: [{ organizationId, role: 'ph_admin' }],
  })
  api = async (method, path, body) => {
    const response = await fetch(`${stack.origin}/api/organizations/${organizationId}${path}`, {
      method,
      headers: { ...admin.headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${await response.text()}`)
    return response.json() as Promise<Record<string, unknown>>
  }
  const assemblyId = (await api('POST', '/assemblies', assemblyBody())).id as string
  assemblyPath = `/assemblies/${assemblyId}`
  await api('POST', `${assemblyPath}/agenda`, { title: 'Informe de la Junta Directiva' })
  await api('POST', `${assemblyPath}/agenda`, { title: 'Presupuesto 2027 y cuota extraordinaria' })
  await api('POST', `${assemblyPath}/transition`, {
    to: 'convened',
    windowOverrideReason: 'Test meeting today',
  })
  await api('POST', `${assemblyPath}/transition`, { to: 'in_progress' })
  for (const number of ['T1-101', 'T1-102', 'T1-201', 'T2-101', 'T2-301']) {
    const found = (await api('GET', `${assemblyPath}/attendance/search?q=${number}`)) as {
      matches: { owners: { personId: string }[] }[]
    }
    personOf[number] = found.matches[0]!.owners[0]!.personId
  }
  // Arrivals one by one: the quorum chart gets a rising line.
  for (const number of ['T1-101', 'T1-102', 'T1-201', 'T2-101'])
    await api('POST', `${assemblyPath}/attendance/check-in`, {
      personId: personOf[number],
      mode: 'in_person',
    })
}, 90_000)

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {})
  await stack?.stop()
}, 30_000)

async function page(viewport: { width: number; height: number }): Promise<Page> {
  const context = await stack.newContext({ viewport })
  contexts.push(context)
  return context.newPage()
}

/** Every element with `selector` lies inside the viewport (nothing cut off at the edges). */
async function insideViewport(screen: Page, selector: string): Promise<void> {
  const size = screen.viewportSize()!
  const boxes = await screen.locator(selector).evaluateAll((elements) =>
    elements.map((element) => {
      const box = element.getBoundingClientRect()
      return { bottom: box.bottom, right: box.right, text: element.textContent?.slice(0, 30) }
    }),
  )
  for (const box of boxes) {
    expect({ ...box, fits: box.bottom <= size.height && box.right <= size.width }).toMatchObject({
      fits: true,
    })
  }
}

const fontPx = (screen: Page, selector: string) =>
  screen
    .locator(selector)
    .first()
    .evaluate((element) => Number.parseFloat(getComputedStyle(element).fontSize))

describe('speaker queue and projector', () => {
  it('the owner asks to speak, the administrator gives the floor, the projector shows now, next, timer and chart', async () => {
    const screenUrl = ((await api('POST', `${assemblyPath}/screen-link`, {})) as { screenUrl: string })
      .screenUrl
    const screens = [await page({ width: 1920, height: 1080 }), await page({ width: 1280, height: 720 })]
    for (const screen of screens) {
      await screen.goto(screenUrl)
      await screen.getByRole('heading', { name: 'Asamblea ordinaria 2026' }).waitFor()
    }
    const shoot = async (state: string) => {
      for (const screen of screens) {
        const { width, height } = screen.viewportSize()!
        await screen.screenshot({ path: `${SHOTS}/screen-${state}-${width}x${height}.png` })
        await insideViewport(screen, '.panel')
      }
    }
    await screens[0]!.locator('.quorum-chart').waitFor()
    await shoot('waiting')

    // The meeting moves to item 2; Mario (present) asks from the phone, then Ana.
    const items = (await api('GET', `${assemblyPath}/agenda`)) as { items: { id: string }[] }
    await api('PUT', `${assemblyPath}/agenda-cursor`, { itemId: items.items[1]!.id })
    const phone = await page({ width: 390, height: 844 })
    await stack.signIn(
      phone,
      `mario-${run}@example.org`,
      `/vote?organization=${organizationId}&assembly=${assemblyPath.split('/')[2]}`,
    )
    await phone.getByRole('button', { name: 'Pedir la palabra' }).click()
    await phone.getByText('Su turno: 1 de 1.').waitFor()
    await phone.screenshot({ path: `${SHOTS}/vote-asked-390.png`, fullPage: true })
    const ana = await page({ width: 390, height: 844 })
    await stack.signIn(
      ana,
      `ana-${run}@example.org`,
      `/vote?organization=${organizationId}&assembly=${assemblyPath.split('/')[2]}`,
    )
    await ana.getByRole('button', { name: 'Pedir la palabra' }).click()
    await ana.getByText('Su turno: 2 de 2.').waitFor()

    // The administrator's console lists both in order and gives Mario the floor.
    const console_ = await page({ width: 1366, height: 900 })
    await stack.signIn(
      console_,
      adminEmail,
      `/admin?organization=${organizationId}#assembly=${assemblyPath.split('/')[2]}`,
    )
    const queue = console_.locator('#speaker-queue')
    await queue.getByText('Ana Pérez').waitFor()
    expect(await queue.locator('li strong').allTextContents()).toEqual(['Mario Ríos', 'Ana Pérez'])
    await queue.locator('li').first().getByRole('button', { name: 'Dar la palabra' }).click()
    await queue.getByRole('button', { name: 'Terminar intervención' }).waitFor()
    await console_.locator('#speaker-queue').scrollIntoViewIfNeeded()
    await console_.screenshot({ path: `${SHOTS}/admin-queue-1366.png`, fullPage: true })
    await console_
      .locator('section[aria-labelledby="speakers-title"]')
      .screenshot({ path: `${SHOTS}/admin-queue-section-1366.png` })
    await console_.setViewportSize({ width: 390, height: 844 })
    await console_
      .locator('section[aria-labelledby="speakers-title"]')
      .screenshot({ path: `${SHOTS}/admin-queue-section-390.png` })

    await phone.getByText('Tiene la palabra ahora.').waitFor()
    await phone.screenshot({ path: `${SHOTS}/vote-speaking-390.png`, fullPage: true })
    for (const screen of screens) {
      await screen.locator('.speaker-name').filter({ hasText: 'Mario Ríos · Unidad T1-102' }).waitFor()
      await screen.locator('.speaker-next').filter({ hasText: 'Ana Pérez · Unidad T1-201' }).waitFor()
    }
    await shoot('speaker')
    // The chart's line climbs with the arrivals and its threshold sits at the rule's minimum.
    const line = await screens[0]!.locator('.chart-line').getAttribute('points')
    expect(line!.split(' ').length).toBeGreaterThan(2)
    await screens[0]!.locator('.legend-threshold').filter({ hasText: 'mínimo 50' }).waitFor()
    for (const screen of screens) expect(await fontPx(screen, '.speaker-name')).toBeGreaterThanOrEqual(39)

    // A vote opens: the timer runs, big.
    const motionId = (await api('POST', `${assemblyPath}/motions`, { title: 'Aprobar el presupuesto 2027' }))
      .id as string
    await api('POST', `/motions/${motionId}/open`)
    for (const screen of screens) await screen.locator('.vote-timer .timer').waitFor()
    // The timer ticks by itself (no new snapshot needed).
    const first = await screens[0]!.locator('.vote-timer .timer').textContent()
    await screens[0]!.waitForFunction(
      (before) => document.querySelector('.vote-timer .timer')?.textContent !== before,
      first,
      { timeout: 5000 },
    )
    await shoot('vote-open')
    expect(await fontPx(screens[0]!, '.vote-timer .timer')).toBeGreaterThanOrEqual(40)
    expect(await fontPx(screens[1]!, '.vote-timer .timer')).toBeGreaterThanOrEqual(40)

    // Ana withdraws; the projector drops her from "next".
    await ana.getByRole('button', { name: 'Retirar mi solicitud' }).click()
    await screens[0]!.locator('.speaker-next').waitFor({ state: 'detached' })
    await api('POST', `/motions/${motionId}/close`)
  }, 120_000)
})
