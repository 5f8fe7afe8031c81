import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { mkdirSync } from 'node:fs'
import type { BrowserContext, Page } from 'playwright-core'
import { importUnits } from '../../core/ph/index.ts'
import { createTestOrganization, systemActor } from '../../core/ph/testing.ts'
import { step } from '../../core/story-testing.ts'
import { createTestUser } from '../../functions/_lib/testing.ts'
import { assemblyBody } from '../../functions/organizations/[organizationId]/_testing.ts'
import { hasChromium, type Stack, startStack } from './stack.ts'

/*
 * Electing the Junta Directiva (issue #14): the admin creates an election of 3 seats in the console,
 * an owner ticks up to 3 candidates on a phone, the desk records the room's ballots, and after the close
 * the projector shows who is elected and the tie for the last seat.
 */

if (!hasChromium) throw new Error('Chromium is missing: run `bash web/tests/install-chromium.sh` (CI does)')

const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots/elect'
const run = crypto.randomUUID().slice(0, 8)
const NUMBERS = ['101', '102', '103', '104', '105', '106']
const CANDIDATES = ['Ana Acosta', 'Beto Barría', 'Carla Castillo', 'Dora Díaz', 'Eva Espinosa']
let stack: Stack
const contexts: BrowserContext[] = []
let organizationId = ''
let assemblyId = ''
let adminEmail = ''
let api: (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>
const personOf: Record<string, string> = {}
const unitOf: Record<string, string> = {}

beforeAll(async () => {
  stack = await startStack()
  mkdirSync(SHOTS, { recursive: true })
  organizationId = (await createTestOrganization(stack.services.db)).id
  await importUnits(stack.services.db, {
    organizationId,
    csv: [
      'unidad;finca;coeficiente;propietario;email;telefono;al_dia',
      ...NUMBERS.map(
        (n, i) => `${n};F-${n};${i < 2 ? 20 : 15};Propietario ${n};p${n}-${run}@example.org;;sí`,
      ),
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
  assemblyId = (await api('POST', '/assemblies', assemblyBody())).id as string
  const assemblyPath = `/assemblies/${assemblyId}`
  await api('POST', `${assemblyPath}/agenda`, { title: 'Elección de la Junta Directiva' })
  await api('POST', `${assemblyPath}/transition`, { to: 'convened', windowOverrideReason: 'Prueba de hoy' })
  await api('POST', `${assemblyPath}/transition`, { to: 'in_progress' })
  for (const number of NUMBERS) {
    const found = (await api('GET', `${assemblyPath}/attendance/search?q=${number}`)) as {
      matches: { unitId: string; number: string; owners: { personId: string }[] }[]
    }
    const match = found.matches.find((m) => m.number === number)!
    personOf[number] = match.owners[0]!.personId
    unitOf[number] = match.unitId
    await api('POST', `${assemblyPath}/attendance/check-in`, {
      personId: personOf[number],
      mode: 'in_person',
    })
  }
}, 90_000)

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {})
  await stack?.stop()
}, 30_000)

async function pageAt(email: string, next: string, viewport: { width: number; height: number }) {
  const context = await stack.newContext({ viewport })
  contexts.push(context)
  const page = await context.newPage()
  await stack.signIn(page, email, next)
  return page
}

const see = (page: Page, text: string | RegExp) => page.locator('main').getByText(text).first().waitFor()

describe('an election of the Junta Directiva', () => {
  it('is created in the console, voted up to its seats, and shown elected / tied on the projector', async () => {
    let motionId = ''
    let adminPage: Page | undefined
    await step('the admin creates an election of 3 seats', async () => {
      const admin = await pageAt(adminEmail, `/admin?organization=${organizationId}#assembly=${assemblyId}`, {
        width: 1366,
        height: 900,
      })
      await admin.getByLabel('Título de la moción').fill('Junta Directiva 2026–2027')
      await admin.getByLabel('Elección (p. ej. Junta Directiva)').check()
      await admin.getByLabel('Puestos a elegir').fill('3')
      await admin.getByLabel('Candidatos, uno por línea').fill(CANDIDATES.join('\n'))
      await admin.getByLabel('Votación secreta').check()
      await admin
        .getByLabel('Título de la moción')
        .evaluate((input) => input.scrollIntoView({ block: 'start' }))
      await admin.screenshot({ path: `${SHOTS}/admin-election-form-1366.png` })
      await admin.setViewportSize({ width: 390, height: 844 })
      await admin
        .getByLabel('Puestos a elegir')
        .evaluate((input) => input.scrollIntoView({ block: 'center' }))
      await admin.screenshot({ path: `${SHOTS}/admin-election-form-390.png`, fullPage: false })
      await admin.setViewportSize({ width: 1366, height: 900 })
      await admin.getByRole('button', { name: 'Crear moción' }).click()
      await admin.getByRole('heading', { name: 'Junta Directiva 2026–2027' }).waitFor()
      const { motions } = (await api('GET', `/assemblies/${assemblyId}/motions`)) as {
        motions: { id: string; seats: number | null; choiceMode: string; options: { label: string }[] }[]
      }
      const created = motions.find((m) => m.seats !== null)!
      expect([created.seats, created.choiceMode, created.options.map((o) => o.label)]).toEqual([
        3,
        'multiple',
        CANDIDATES,
      ])
      motionId = created.id
      adminPage = admin
      await api('POST', `/motions/${motionId}/open`)
    })

    await step('an owner on a phone can tick at most 3 candidates', async () => {
      const phone = await pageAt(
        `p101-${run}@example.org`,
        `/vote?organization=${organizationId}&assembly=${assemblyId}`,
        { width: 390, height: 844 },
      )
      await see(phone, 'Elección de 3 puestos: marque hasta 3 candidatos.')
      for (const name of CANDIDATES.slice(0, 3)) await phone.getByLabel(name).check()
      await see(phone, 'Ya marcó 3 de 3. Para elegir otro, quite primero una marca.')
      expect(await phone.getByLabel('Dora Díaz').isDisabled()).toBe(true)
      await phone.screenshot({ path: `${SHOTS}/vote-election-390.png`, fullPage: true })
      await phone.getByLabel('Carla Castillo').uncheck()
      expect(await phone.getByLabel('Dora Díaz').isDisabled()).toBe(false)
    })

    await step('the desk records the room; a fourth candidate on one ballot is refused', async () => {
      const ballot = (number: string, names: string[]) => ({
        unitId: unitOf[number],
        optionKeys: names.map((name) => `candidate-${CANDIDATES.indexOf(name) + 1}`),
      })
      const [ana, beto, carla, dora, eva] = CANDIDATES as [string, string, string, string, string]
      await api('POST', `/motions/${motionId}/desk-ballots`, {
        kind: 'paper',
        reason: 'Papeletas de la sala',
        ballots: [
          ballot('101', [ana, beto, carla]),
          ballot('102', [ana, beto, dora]),
          ballot('103', [ana, carla]),
          ballot('104', [beto, dora]),
          ballot('105', [eva]),
          ballot('106', [ana]),
        ],
      })
      const refused = await api('POST', `/motions/${motionId}/desk-ballots`, {
        kind: 'paper',
        reason: 'Papeleta con cuatro marcas',
        ballots: [ballot('105', [ana, beto, carla, dora])],
      }).catch((error: Error) => error.message)
      expect(JSON.stringify(refused)).toContain('at most 3')
      await api('POST', `/motions/${motionId}/close`)
    })

    await step('the projector shows who is elected and the tie for the last seat', async () => {
      const { screenUrl } = (await api('POST', `/assemblies/${assemblyId}/screen-link`, {})) as {
        screenUrl: string
      }
      for (const [width, height] of [
        [1920, 1080],
        [1280, 720],
      ] as const) {
        const context = await stack.newContext({ viewport: { width, height } })
        contexts.push(context)
        const screen = await context.newPage()
        await screen.goto(screenUrl)
        await see(screen, 'Electos/as: Ana Acosta y Beto Barría')
        await see(screen, 'Empate por el último puesto: Carla Castillo y Dora Díaz (sin decidir)')
        expect(await screen.locator('.candidate .badge').allTextContents()).toEqual([
          '✔ Electo/a',
          '✔ Electo/a',
          '= Empate',
          '= Empate',
        ])
        expect(await screen.locator('main').textContent()).not.toContain('Aprobada')
        // The voted weight is withheld in this secret election: never shown as 0 %.
        expect(await screen.locator('main').textContent()).not.toContain('Coeficiente votado')
        await screen.screenshot({ path: `${SHOTS}/screen-election-${width}.png` })
      }
    })

    await step('the console shows the result with Electo/a and Empate', async () => {
      const admin = adminPage!
      await admin.reload()
      const result = admin.getByRole('heading', { name: 'Resultado', exact: true })
      await result.waitFor()
      await see(admin, 'Electos/as: Ana Acosta y Beto Barría')
      await see(admin, 'Empate por el último puesto entre Carla Castillo y Dora Díaz')
      await admin.getByRole('rowheader', { name: 'Carla Castillo — Empate' }).waitFor()
      await result.evaluate((heading) => heading.scrollIntoView({ block: 'start' }))
      await admin.screenshot({ path: `${SHOTS}/admin-election-result-1366.png` })
    })
  }, 120_000)
})
