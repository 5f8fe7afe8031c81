import { beforeAll, describe, expect, it } from 'bun:test'
import { mkdir } from 'node:fs/promises'
import { eq } from 'drizzle-orm'
import { makeActaFinal } from '../../core/acta/testing.ts'
import { checkIn } from '../../core/assemblies/attendance.ts'
import {
  addAgendaItem,
  closeAssembly,
  conveneAssembly,
  createAssembly,
  startAssembly,
} from '../../core/assemblies/index.ts'
import { assemblyInput } from '../../core/assemblies/testing.ts'
import { sendSummary } from '../../core/communications/decisions.ts'
import { sendNotice } from '../../core/mail/notice.ts'
import { createMotion } from '../../core/motions/motions.ts'
import { createOrganization, importUnits } from '../../core/ph/index.ts'
import { systemActor } from '../../core/ph/testing.ts'
import { createTestUser } from '../../core/services-testing.ts'
import * as schema from '../../db/schema/index.ts'
import { withPlatformScope } from '../../db/tenant.ts'
import { hasChromium, see, shoot, stackForTests } from './stack.ts'

/*
 * The administration's "Comunicaciones" page after a meeting: the notice and the art. 71 summary with
 * their counts by unit, a unit with no contact marked delivered by hand, the acta sent to the owners;
 * then an owner reads the summary and the acta from their home. Screenshots of the pages and of the
 * emails as the owners' mail programs would show them.
 */

if (!hasChromium) throw new Error('Chromium is missing: run `bash web/tests/install-chromium.sh` (CI does)')

const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots/send'

const ROSTER = [
  'unidad;finca;coeficiente;propietario;email;al_dia',
  '101;F-101;40;Ana Pérez;ana.comms@example.com;sí',
  '102;F-102;35;Bruno Díaz;bruno.comms@example.com;sí',
  '103;F-103;25;Carla Ruiz;;sí',
].join('\n')

const stack = stackForTests()

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true })
}, 60_000)

/** A PH whose assembly was convened (notice sent), voted two motions and closed. */
async function closedAssembly() {
  const { db } = stack.services
  const actor = systemActor
  const organization = await createOrganization(db, {
    organization: { name: 'PH Vista Hermosa', slug: `vista-${crypto.randomUUID().slice(0, 6)}` },
    actor,
  })
  const organizationId = organization.id
  await importUnits(db, { organizationId, csv: ROSTER, actor })
  const assembly = await createAssembly(db, {
    organizationId,
    assembly: assemblyInput({ title: 'Asamblea Ordinaria 2026' }),
    actor,
  })
  const assemblyId = assembly.id
  await addAgendaItem(db, { organizationId, assemblyId, item: { title: 'Presupuesto 2026' }, actor })
  await conveneAssembly(db, { organizationId, assemblyId, actor, windowOverrideReason: 'Test' })
  const deps = { db, mailer: stack.services.mailer, bus: stack.services.bus }
  await sendNotice(deps, { organizationId, assemblyId })
  await startAssembly(db, { organizationId, assemblyId, actor })
  const { units, people } = await withPlatformScope(db, async (tx) => ({
    units: await tx.select().from(schema.units).where(eq(schema.units.organizationId, organizationId)),
    people: await tx.select().from(schema.people).where(eq(schema.people.organizationId, organizationId)),
  }))
  const unit = (n: string) => units.find((u) => u.number === n)!.id
  const person = (name: string) => people.find((p) => p.fullName === name)!.id
  for (const [n, name] of [
    ['101', 'Ana Pérez'],
    ['102', 'Bruno Díaz'],
  ] as const)
    await checkIn(db, {
      organizationId,
      assemblyId,
      unitIds: [unit(n)],
      personId: person(name),
      mode: 'in_person',
      actor,
    })
  const budget = await createMotion(db, {
    organizationId,
    assemblyId,
    actor,
    title: 'Aprobar el presupuesto 2026',
  })
  const works = await createMotion(db, {
    organizationId,
    assemblyId,
    actor,
    title: 'Pintar la fachada',
    secret: true,
  })
  for (const { id } of [budget, works])
    await stack.services.votes.open({ organizationId, motionId: id, actor })
  const vote = (motionId: string, n: string, name: string, key: string) =>
    stack.services.votes.cast({
      organizationId,
      motionId,
      actor: { userId: null, personId: person(name) },
      channel: 'web',
      ballots: [{ unitId: unit(n), optionKeys: [key] }],
    })
  await vote(budget.id, '101', 'Ana Pérez', 'yes')
  await vote(budget.id, '102', 'Bruno Díaz', 'no')
  await vote(works.id, '101', 'Ana Pérez', 'no')
  await vote(works.id, '102', 'Bruno Díaz', 'no')
  for (const { id } of [budget, works])
    await stack.services.votes.close({ organizationId, motionId: id, actor })
  await closeAssembly(db, { organizationId, assemblyId, actor })
  // The acta card's review and both sign-offs (web/tests/acta.test.ts drives them in the browser).
  await makeActaFinal(db, { organizationId, assemblyId })
  const started = await sendSummary(deps, {
    organizationId,
    assemblyId,
    trigger: 'automatic',
    publicUrl: stack.origin,
  })
  await started!.done
  return { organizationId, assemblyId, unit }
}

describe('communications in Chromium', () => {
  it('the administration sees what reached each unit, records a delivery by hand and sends the acta; the owner reads them', async () => {
    const { organizationId, assemblyId } = await closedAssembly()
    await createTestUser(stack.services, {
      email: 'admin.vista@example.com',
      roles: [{ organizationId, role: 'ph_admin' }],
    })
    const admin = await stack.openPage(
      { width: 1366, height: 900 },
      {
        email: 'admin.vista@example.com',
        next: `/admin?organization=${organizationId}#assembly=${assemblyId}`,
      },
    )
    admin.on(
      'dialog',
      (dialog) =>
        void (dialog.type() === 'prompt' ? dialog.accept('Entregado en la conserjería') : dialog.accept()),
    )
    await admin.getByRole('link', { name: /Comunicaciones a los propietarios/ }).click()
    await see(admin, 'Resumen de las decisiones (Ley 284, art. 71)')
    const rows = admin.locator('.comms-list > .comms-item')
    // The summary (newest) and the notice: 2 of 3 units reached, 1 without any contact.
    const summaryRow = rows.filter({ hasText: 'Resumen de las decisiones' })
    await summaryRow.waitFor()
    expect(await summaryRow.textContent()).toContain('2 de 3 unidades alcanzadas · 1 sin medio de contacto')
    expect(await rows.filter({ hasText: 'Convocatoria' }).textContent()).toContain(
      '2 de 3 unidades alcanzadas',
    )
    await shoot(admin, SHOTS, 'communications')

    await summaryRow.getByRole('button', { name: 'Ver por unidad' }).click()
    await see(admin, 'ana.comms@example.com')
    await admin.getByLabel('Mostrar').selectOption('no_contact')
    await see(admin, '! Sin contacto')
    // The filtered list replaces the full one: wait for it rather than count the old one.
    const items = admin.locator('#communication-detail .comms-item')
    for (let i = 0; i < 50 && (await items.count()) !== 1; i++) await Bun.sleep(100)
    expect(await items.count()).toBe(1)
    await shoot(admin, SHOTS, 'communications-units')
    await admin.getByRole('button', { name: 'Marcar entregado en mano' }).click()
    await see(admin, 'Unidad 103: entrega en mano registrada.')
    await admin.getByLabel('Mostrar').selectOption('all')
    await see(admin, 'Entregado en la conserjería')

    await admin.getByRole('button', { name: 'Enviar acta a los propietarios' }).click()
    await see(admin, 'Se está enviando el acta a los propietarios.')
    await admin.reload()
    await see(admin, /Enviada a los propietarios: /)
    await shoot(admin, SHOTS, 'communications-after-acta')

    // The PH's setting of the summary's delay, under "Datos del PH".
    await admin.goto(`${stack.origin}/admin?organization=${organizationId}#settings`)
    await see(admin, 'Horas tras el cierre para enviar el resumen de las decisiones')
    await shoot(admin, SHOTS, 'settings-summary-delay')

    const owner = await stack.openPage(
      { width: 390, height: 844 },
      { email: 'ana.comms@example.com', next: '/' },
    )
    await see(owner, 'Resumen de las decisiones')
    await see(owner, /^1\. Aprobar el presupuesto 2026: /)
    await see(owner, 'Sí: 1 unidad, 40.00 %')
    await see(owner, 'Leer el acta')
    await shoot(owner, SHOTS, 'home-owner-after')

    // The emails as a mail program shows them (the dev mailer keeps the last messages).
    // The acta's email goes out once its PDF is rendered (in the background).
    const toAna = () =>
      stack.services.mailer.recent().filter((message) => message.to === 'ana.comms@example.com')
    for (let i = 0; i < 600 && !toAna().some((m) => m.subject.startsWith('Acta')); i++) await Bun.sleep(100)
    const sent = toAna()
    const page = await admin.context().newPage()
    for (const [name, match] of [
      ['email-summary', /^Resumen de las decisiones/],
      ['email-acta', /^Acta/],
      ['email-notice', /^Convocatoria/],
    ] as const) {
      const message = sent.find((m) => match.test(m.subject))
      expect(message?.html).toContain('PH Vista Hermosa')
      await page.setContent(message!.html!)
      await shoot(page, SHOTS, name)
    }
  }, 120_000)
})
