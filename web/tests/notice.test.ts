import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { BrowserContext } from 'playwright-core'
import { createAssembly } from '../../core/assemblies/assemblies.ts'
import { assemblyInput } from '../../core/assemblies/testing.ts'
import { importUnits } from '../../core/ph/index.ts'
import { systemActor } from '../../core/ph/testing.ts'
import { hasChromium, type Stack, see, shoot, startStack } from './stack.ts'

/*
 * The convocatoria on the admin assembly page, in Spanish, in Chromium against the real processes: a
 * draft created without the convener's position or an agenda lists both as missing, each link puts
 * the cursor in its field; once complete, a date outside the PH's window asks for a reason, convening
 * records it, and the notice sent is listed with its text.
 */

if (!hasChromium) throw new Error('Chromium is missing: run `bash web/tests/install-chromium.sh` (CI does)')

const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots/j12notice'
const DAY = 86_400_000

let stack: Stack
const contexts: BrowserContext[] = []

beforeAll(async () => {
  stack = await startStack()
}, 60_000)

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {})
  await stack?.stop()
}, 30_000)

describe('the convocatoria in the admin console', () => {
  it('lists what is missing with links to the fields, edits them, and convenes with a reason outside the window', async () => {
    const { db } = stack.services
    const organization = await stack.createPhWithAdmin({
      name: 'PH Torre Marina',
      slug: 'marina',
      adminEmail: 'admin-notice@example.com',
    })
    const organizationId = organization.id
    await importUnits(db, {
      organizationId,
      csv: [
        'unidad;coeficiente;propietario;correo',
        '1;60;Ana Acosta;ana@example.com',
        '2;40;Beto Barría;',
      ].join('\n'),
      actor: systemActor,
    })
    // Seven days ahead: outside the ordinary 10–20 days.
    const firstCallAt = new Date(Date.now() + 7 * DAY)
    const assembly = await createAssembly(db, {
      organizationId,
      assembly: assemblyInput({
        title: 'Asamblea ordinaria 2027',
        firstCallAt,
        secondCallAt: new Date(firstCallAt.getTime() + 3_600_000),
        convenerPosition: null,
      }),
      actor: systemActor,
    })
    const context = await stack.newContext({ viewport: { width: 1366, height: 900 } })
    contexts.push(context)
    const admin = await context.newPage()
    await stack.signIn(
      admin,
      'admin-notice@example.com',
      `/admin?organization=${organizationId}#assembly=${assembly.id}`,
    )
    await see(admin, 'Falta para poder convocar:')
    const missing = admin.locator('#notice-missing a')
    expect(await missing.allTextContents()).toEqual([
      'Cargo de quien convoca',
      'Al menos un punto en el orden del día',
    ])
    await shoot(admin, SHOTS, 'notice-missing')

    // Convening now is refused, and says why.
    await admin.getByRole('button', { name: 'Convocar' }).click()
    await see(admin, 'A la convocatoria le faltan datos obligatorios')

    await missing.first().click()
    expect(await admin.evaluate(() => document.activeElement?.id)).toBe('notice-convenerPosition')
    await admin.getByLabel('Cargo de quien convoca').fill('Presidenta de la Junta Directiva')
    await admin.getByRole('button', { name: 'Guardar la convocatoria' }).click()
    await see(admin, 'Convocatoria guardada.')
    await admin.locator('#notice-missing a').first().click()
    expect(await admin.evaluate(() => document.activeElement?.id)).toBe('agenda-new-title')
    await admin.getByLabel('Nuevo punto').fill('Aprobación del presupuesto 2027')
    await admin.getByRole('button', { name: 'Agregar punto' }).click()
    await see(admin, 'La convocatoria tiene todo lo que exige la ley.')
    await see(admin, /fuera del plazo del PH para este tipo de asamblea \(10 a 20 días\)/)
    await shoot(admin, SHOTS, 'notice-window')

    await admin.getByRole('button', { name: 'Convocar' }).click()
    await see(admin, 'fuera del plazo de aviso del PH')
    expect(await admin.evaluate(() => document.activeElement?.id)).toBe('notice-window-reason')
    await admin.getByLabel('Motivo para convocar fuera del plazo').fill('El reglamento fija 5 días de aviso')
    await admin.getByRole('button', { name: 'Convocar' }).click()
    await see(admin, 'Motivo registrado: El reglamento fija 5 días de aviso')
    // The notice goes out in the background: reload until it is listed.
    for (let i = 0; i < 50 && (await admin.locator('#notices-sent li').count()) === 0; i++) {
      await Bun.sleep(100)
      await admin.reload()
      await see(admin, 'Avisos enviados')
    }
    expect(await admin.locator('#notices-sent li').first().textContent()).toContain('Convocatoria')
    // After convening the fields stay editable: the place changes and a corrected notice goes out.
    await admin.getByLabel('Lugar').fill('Terraza, piso 20')
    await admin.getByRole('button', { name: 'Guardar la convocatoria' }).click()
    await see(admin, 'Se envía un aviso corregido')
    await shoot(admin, SHOTS, 'notice-convened')

    // The PH's windows and reminder days are settings of the PH.
    await admin.goto(`${stack.origin}/admin?organization=${organizationId}#settings`)
    await see(admin, 'Plazos de la convocatoria y recordatorios')
    expect(await admin.getByLabel('Recordatorios (días antes)').inputValue()).toBe('7, 1')
    await admin.getByLabel('Ordinaria: mínimo de días', { exact: true }).fill('5')
    await admin.getByLabel('Recordatorios (días antes)').fill('3')
    await admin
      .locator('#notice-settings-title')
      .locator('..')
      .getByRole('button', { name: 'Guardar' })
      .click()
    await admin.locator('#notice-settings-title').locator('..').getByText('Cambios guardados.').waitFor()
    await admin.reload()
    await see(admin, 'Plazos de la convocatoria y recordatorios')
    expect(await admin.getByLabel('Recordatorios (días antes)').inputValue()).toBe('3')
    expect(await admin.getByLabel('Ordinaria: mínimo de días', { exact: true }).inputValue()).toBe('5')
    await shoot(admin, SHOTS, 'notice-settings')
  }, 90_000)
})
