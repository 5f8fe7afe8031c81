import { beforeAll, describe, expect, it } from 'bun:test'
import { mkdirSync } from 'node:fs'
import { checkIn, hasChromium, type Room, roomInProgress, stackForTests } from './stack.ts'

/*
 * The live unit board (issue #13 part 3): desk staff see every unit's presence, arrears and whether it
 * voted on the open motion, filter it by tower, floor and state, and it follows the room by itself.
 */

if (!hasChromium) throw new Error('Chromium is missing: run `bash web/tests/install-chromium.sh` (CI does)')

const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots/j13board'
const run = crypto.randomUUID().slice(0, 8)
const stack = stackForTests()
let boardUrl = ''
let adminPath = ''
let assemblyPath = ''
let api: Room['api']
const staffEmail = `mesa-${run}@example.org`
const adminEmail = `admin-${run}@example.org`
const personOf: Record<string, string> = {}
const unitOf: Record<string, string> = {}

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true })
  const room = await roomInProgress(stack, {
    units: [
      `T1-101;F-1;20;Lucía Méndez;lucia-${run}@example.org;;sí`,
      `T1-102;F-2;20;Mario Ríos;mario-${run}@example.org;;sí`,
      `T1-201;F-3;20;Ana Pérez;ana-${run}@example.org;;no`,
      `T2-101;F-4;20;Bruno Díaz;bruno-${run}@example.org;;sí`,
      `T2-301;F-5;20;Carla Soto;carla-${run}@example.org;;sí`,
    ],
    // A notice needs an agenda.
    agenda: ['Presupuesto 2027'],
    adminEmail,
    staffEmail,
  })
  ;({ api, assemblyPath } = room)
  adminPath = `/admin?organization=${room.organizationId}`
  for (const [number, owner] of Object.entries(room.owners)) {
    personOf[number] = owner.personId
    unitOf[number] = owner.unitId
  }
  for (const number of ['T1-101', 'T1-102', 'T2-101']) await checkIn(api, assemblyPath, personOf[number]!)
  boardUrl = `/board?organization=${room.organizationId}&assembly=${room.assemblyId}`
}, 90_000)

const rowOf = (page: import('playwright-core').Page, number: string) =>
  page.locator(`tr[data-unit="${number}"]`)

describe('live unit board', () => {
  /** Who has not voted, filters by tower and state, votes and arrivals followed live. */
  const whoHasNotVoted = async () => {
    const motionId =
      // Not gated on quorum: another test of this file may have sent an owner home first (any order).
      (
        await api('POST', `${assemblyPath}/motions`, {
          title: 'Pintar la fachada',
          secret: true,
          requiresQuorum: false,
        })
      ).id as string
    await api('POST', `/motions/${motionId}/open`)
    await api('POST', `/motions/${motionId}/desk-ballots`, {
      kind: 'desk',
      reason: 'Votó en la mesa',
      ballots: [{ unitId: unitOf['T1-101'], optionKeys: ['yes'] }],
    })
    const page = await stack.openPage({ width: 1366, height: 900 }, { email: staffEmail, next: boardUrl })
    await page.getByText('Votación abierta: Pintar la fachada').waitFor()
    await expect(rowOf(page, 'T1-101').locator('.board-vote').textContent()).resolves.toContain('Votó')
    await expect(rowOf(page, 'T1-102').locator('.board-vote').textContent()).resolves.toContain('Falta')
    await expect(rowOf(page, 'T1-201').textContent()).resolves.toContain('En mora')
    await expect(rowOf(page, 'T1-201').textContent()).resolves.toContain('Ausente')
    // A secret motion: the page never received how anyone voted.
    expect(await page.content()).not.toContain('"yes"')
    await page.screenshot({ path: `${SHOTS}/board-1366.png`, fullPage: true })

    await page.getByLabel('Mostrar').selectOption('pending')
    await expect(
      page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit'))),
    ).resolves.toEqual(['T1-102', 'T2-101'])
    await page.getByLabel('Torre').selectOption('T2')
    await expect(
      page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit'))),
    ).resolves.toEqual(['T2-101'])
    await page.getByLabel('Torre').selectOption('')
    await page.getByLabel('Mostrar').selectOption('all')
    await page.getByLabel('Buscar unidad o nombre').fill('carla')
    await expect(
      page.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit'))),
    ).resolves.toEqual(['T2-301'])
    await page.getByLabel('Buscar unidad o nombre').fill('')

    // Live: a vote and an arrival elsewhere reach the open board without a reload.
    await api('POST', `/motions/${motionId}/desk-ballots`, {
      kind: 'paper',
      reason: 'Papeleta',
      ballots: [{ unitId: unitOf['T1-102'], optionKeys: ['no'] }],
    })
    await api('POST', `${assemblyPath}/attendance/check-in`, { personId: personOf['T2-301'], mode: 'remote' })
    await rowOf(page, 'T1-102').getByText('Votó').waitFor()
    await rowOf(page, 'T2-301').getByText('Remoto').waitFor()

    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: `${SHOTS}/board-390.png`, fullPage: true })
    await api('POST', `/motions/${motionId}/close`)
  }

  /** An owner leaves from the vote page after a warning, and the board shows the unit absent. */
  const ownerLeaves = async () => {
    const phone = await stack.openPage(
      { width: 390, height: 844 },
      { email: `mario-${run}@example.org`, next: boardUrl.replace('/board', '/vote') },
    )
    await phone.getByRole('heading', { name: 'Salir de la asamblea' }).waitFor()
    let warning = ''
    phone.once('dialog', (dialog) => {
      warning = dialog.message()
      void dialog.accept()
    })
    await phone.getByRole('button', { name: 'Registrar mi salida' }).click()
    await phone
      .locator('.notice-ok')
      .getByText(/Su salida quedó registrada a las/)
      .waitFor()
    expect(warning).toContain('dejan de contar para el quórum')
    await phone.locator('.notice-ok').scrollIntoViewIfNeeded()
    await phone.screenshot({ path: `${SHOTS}/vote-left-390.png` })
    const board = (await api('GET', `${assemblyPath}/board`)) as {
      units: { number: string; presence: string }[]
    }
    expect(board.units.find((unit) => unit.number === 'T1-102')?.presence).toBe('absent')
  }

  /** The agenda item being discussed on the projector and the vote page. */
  const agendaFollowed = async () => {
    // The agenda's one item was added before convening (a notice needs an agenda).
    const agenda = (await api('GET', `${assemblyPath}/agenda`)) as {
      items: { id: string }[]
    }
    await api('PUT', `${assemblyPath}/agenda-cursor`, { itemId: agenda.items[0]!.id })
    const link = (await api('POST', `${assemblyPath}/screen-link`, {})) as { screenUrl: string }
    const screen = await stack.openPage({ width: 1920, height: 1080 })
    await screen.goto(link.screenUrl)
    await screen.locator('#agenda-now').getByText('Punto 1 del orden del día: Presupuesto 2027').waitFor()
    await screen.screenshot({ path: `${SHOTS}/screen-agenda-1920.png` })
    const phone = await stack.openPage(
      { width: 390, height: 844 },
      { email: `bruno-${run}@example.org`, next: boardUrl.replace('/board', '/vote') },
    )
    await phone.locator('#agenda-now').getByText('Se trata ahora el punto 1: Presupuesto 2027').waitFor()
    await phone.screenshot({ path: `${SHOTS}/vote-agenda-390.png` })

    // The console marks the item being discussed and offers to move on.
    const admin = await stack.openPage(
      { width: 1366, height: 900 },
      { email: adminEmail, next: `${adminPath}#assembly=${assemblyPath.split('/')[2]}` },
    )
    const item = admin.locator('.agenda-list li[aria-current="step"]')
    await item.getByText('en discusión').waitFor()
    await item.scrollIntoViewIfNeeded()
    await admin.screenshot({ path: `${SHOTS}/admin-agenda-1366.png` })
    await admin.setViewportSize({ width: 390, height: 844 })
    await item.scrollIntoViewIfNeeded()
    await admin.screenshot({ path: `${SHOTS}/admin-agenda-390.png` })
  }

  // One meeting told in order: the board before anyone leaves, then a departure, then the agenda
  // cursor (each step changes the room the next one sees, so they cannot run in any order).
  it('follows one meeting: who has not voted, an owner leaving, the agenda item being discussed', async () => {
    await whoHasNotVoted()
    await ownerLeaves()
    await agendaFollowed()
  }, 300_000)
})
