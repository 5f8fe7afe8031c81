import { beforeAll, describe, expect, it } from 'bun:test'
import { mkdir, writeFile } from 'node:fs/promises'
import type { Page } from 'playwright-core'
import { checkIn } from '../../core/assemblies/attendance.ts'
import { closeAssembly } from '../../core/assemblies/lifecycle.ts'
import { createAssemblyFixture, systemActor } from '../../core/assemblies/testing.ts'
import { createMotion, openMotion } from '../../core/motions/motions.ts'
import { closeMotion } from '../../core/motions/results.ts'
import { castAndCommit, createTestVotePath } from '../../core/motions/testing.ts'
import { createTestUser } from '../../core/services-testing.ts'
import { hasChromium, see, shoot, stackForTests } from './stack.ts'

/*
 * The acta card of a closed assembly in Chromium: the administrator writes a discussion summary, marks
 * the acta reviewed, and records the president's and the secretary's sign-offs; then the acta reads
 * as final with who signed when. Screenshots of each step and of the printable acta.
 */

if (!hasChromium) throw new Error('Chromium is missing: run `bash web/tests/install-chromium.sh` (CI does)')

const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots/acta'

const stack = stackForTests()

beforeAll(async () => {
  await mkdir(SHOTS, { recursive: true })
}, 60_000)

/** Screenshots at both sizes, with the acta card on its own, readable at full size. */
const shootActa = (page: Page, name: string) =>
  shoot(page, SHOTS, name, { card: 'section[aria-labelledby="acta-title"]' })

/** A closed assembly: two units present, a named motion approved. */
async function closedAssembly() {
  const { db } = stack.services
  const fixture = await createAssemblyFixture(db, {
    units: [
      ['101', '60', 'Ana Acosta'],
      ['102', '40', 'Beto Barría'],
    ],
    agenda: ['Informe de la Junta Directiva', 'Presupuesto 2027'],
    assembly: { presidentName: 'Ana Acosta', secretaryName: 'Beto Barría' },
    status: 'in_progress',
  })
  const ids = { organizationId: fixture.organizationId, assemblyId: fixture.assembly.id }
  for (const [unit, owner] of [
    ['101', 'Ana Acosta'],
    ['102', 'Beto Barría'],
  ] as const)
    await checkIn(db, {
      ...ids,
      unitIds: [fixture.unitIds[unit]!],
      personId: fixture.personIds[owner]!,
      mode: 'in_person',
      actor: systemActor,
    })
  const motion = await createMotion(db, { ...ids, actor: systemActor, title: 'Aprobar el presupuesto 2027' })
  await openMotion(db, { organizationId: ids.organizationId, motionId: motion.id, actor: systemActor })
  const votePath = createTestVotePath(db)
  await castAndCommit(votePath, {
    organizationId: ids.organizationId,
    motionId: motion.id,
    actor: { userId: null, personId: fixture.personIds['Ana Acosta']! },
    channel: 'web',
    ballots: [{ unitId: fixture.unitIds['101']!, optionKeys: ['yes'] }],
  })
  await votePath.close()
  await closeMotion(db, { organizationId: ids.organizationId, motionId: motion.id, actor: systemActor })
  await closeAssembly(db, { ...ids, actor: systemActor })
  return ids
}

describe('the acta card in the admin console', () => {
  it('takes a closed assembly’s acta from draft to final with both sign-offs', async () => {
    const ids = await closedAssembly()
    await createTestUser(stack.services, {
      email: 'admin-acta@example.com',
      roles: [{ organizationId: ids.organizationId, role: 'ph_admin' }],
    })
    const admin = await stack.openPage({ width: 1366, height: 900 })
    admin.on('dialog', (dialog) => void dialog.accept())
    await stack.signIn(
      admin,
      'admin-acta@example.com',
      `/admin?organization=${ids.organizationId}#assembly=${ids.assemblyId}`,
    )
    await see(admin, 'Estado del acta')
    await see(admin, 'Borrador')
    await admin.locator('#acta-title').scrollIntoViewIfNeeded()
    await shootActa(admin, 'acta-draft')

    await admin
      .getByLabel('2. Presupuesto 2027')
      .fill('Se discutió el alza de la cuota; la junta explicó los gastos.')
    await admin.getByRole('button', { name: 'Guardar resumen' }).nth(1).click()
    await see(admin, 'Resumen guardado.')
    await admin.getByRole('button', { name: 'Marcar como revisada' }).click()
    await see(admin, 'Acta marcada como revisada.')
    await shootActa(admin, 'acta-reviewed')

    await admin.getByRole('button', { name: 'Firmar el acta' }).click()
    await see(admin, 'Firma registrada.')
    await see(admin, /Presidente: Ana Acosta, /)
    expect(await admin.getByLabel('Nombre de quien firma').inputValue()).toBe('Beto Barría')
    await admin.getByRole('button', { name: 'Firmar el acta' }).click()
    await see(admin, 'Firma registrada. El acta es definitiva.')
    await see(admin, /Secretario: Beto Barría, /)
    expect(await admin.getByRole('button', { name: 'Guardar resumen' }).count()).toBe(0)
    await shootActa(admin, 'acta-final')

    const page = await admin.context().newPage()
    await page.goto(
      `${stack.origin}/api/organizations/${ids.organizationId}/assemblies/${ids.assemblyId}/acta`,
    )
    await page.getByText('ACTA FINAL').waitFor()
    await page.getByText('Se discutió el alza de la cuota').waitFor()
    await shootActa(page, 'acta-html')
    const pdf = await page.request.get(
      `${stack.origin}/api/organizations/${ids.organizationId}/assemblies/${ids.assemblyId}/acta?format=pdf`,
    )
    expect(pdf.status()).toBe(200)
    await writeFile(`${SHOTS}/acta.pdf`, await pdf.body())
  }, 120_000)
})
