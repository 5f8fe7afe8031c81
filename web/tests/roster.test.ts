import { describe, expect, it } from 'bun:test'
import { hasChromium, see, shoot, stackForTests } from './stack.ts'

/*
 * The roster weeks before an assembly, in Spanish, in Chromium against the real processes: the
 * administrator imports a roster with co-owners and cédulas (a partial "replace" file is refused, a
 * partial "update" that would leave the PH off 100 % too), fixes a unit and an owner, finds units by
 * owner name and cédula, pages through them, and marks the units in arrears from a list.
 */

if (!hasChromium) throw new Error('Chromium is missing: run `bash web/tests/install-chromium.sh` (CI does)')

// Screenshots for people to look at (not committed); SHOTS_DIR overrides.
const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots/roster'

const ROSTER = [
  'Unidad;Finca;Coeficiente;Propietario;Cédula;Correo;Teléfono;Al día;Copropietarios',
  '1A;F-1;20;Ana Acosta;8-111-111;ana@example.com;6000-0001;sí;Eva Acosta <eva@example.com> | Iván Acosta',
  '2A;F-2;20;Beto Barría;8-222-222;beto@example.com;6000-0002;sí;',
  '10A;F-10;20;Carla Castillo;8-333-333;carla@example.com;;sí;',
  '1B;F-11;20;Dario Díaz;PA-998877;dario@example.com;;sí;',
  '2B;F-12;20;Elena Espinosa;8-555-555;;;sí;',
].join('\n')

const stack = stackForTests()

describe('roster management in Chromium', () => {
  it('imports co-owners, refuses partial files, edits a unit and an owner, searches and marks arrears', async () => {
    const organization = await stack.createPhWithAdmin({
      name: 'PH Vista Hermosa',
      slug: 'vista',
      adminEmail: 'admin-roster@example.com',
    })
    const admin = await stack.openPage({ width: 1366, height: 900 })
    await stack.signIn(admin, 'admin-roster@example.com', `/admin?organization=${organization.id}#units`)
    await see(admin, 'Todavía no hay unidades')

    const upload = async (csv: string, mode: RegExp, button: string) => {
      await admin.getByLabel(mode).check()
      await admin
        .getByLabel('Archivo CSV')
        .setInputFiles({ name: 'padron.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
      await admin.getByRole('button', { name: button }).click()
    }

    // A file that is only part of the roster cannot replace it: the sum is named, nothing is saved.
    await upload(ROSTER.split('\n').slice(0, 3).join('\n'), /^Todo el padrón/, 'Importar')
    await see(admin, 'El archivo tiene errores: no se importó nada.')
    await see(admin, /Los coeficientes del archivo suman 40.000000 %, no 100 %/)
    await upload(ROSTER, /^Todo el padrón/, 'Probar sin guardar')
    await see(admin, 'El PH quedará con 5 unidades y sus coeficientes sumarán 100.000000 %.')
    await upload(ROSTER, /^Todo el padrón/, 'Importar')
    await see(admin, 'Importación terminada: los cambios se guardaron.')

    // Natural order, owners and co-owners with the representative shown.
    const numbers = await admin.getByRole('rowheader').allTextContents()
    expect(numbers).toEqual(['1A', '1B', '2A', '2B', '10A'])
    const row1A = admin.getByRole('row').filter({ has: admin.getByRole('rowheader', { name: '1A' }) })
    expect(await row1A.textContent()).toContain('Eva Acosta')
    expect(await row1A.textContent()).toContain('Ana Acosta · 8-111-111 (representante)')
    await shoot(admin, SHOTS, 'units-list', { phoneScreen: true })

    // An update that would leave the PH at 120 % is refused with the resulting sum.
    await upload(
      'Unidad;Coeficiente;Propietario\n3A;20;Fabián Flores\n',
      /^Solo algunas unidades/,
      'Importar',
    )
    await see(admin, /Con estos cambios el PH sumaría 120.000000 %, no 100 %/)
    await shoot(admin, SHOTS, 'import-refused', { phoneScreen: true })

    // Fix a unit (its finca and coefficient stay consistent) and an owner's phone; a bad phone is refused.
    await admin.getByRole('button', { name: 'Editar unidad 2B' }).click()
    await admin.getByRole('heading', { name: 'Editar unidad 2B' }).waitFor()
    await admin.getByLabel('Finca').fill('F-12-bis')
    await admin.getByRole('button', { name: 'Guardar unidad' }).click()
    await see(admin, 'Unidad 2B guardada.')
    await admin.getByRole('heading', { name: 'Editar unidad 2B' }).waitFor()
    const phone = admin.locator('input[name="o0.phone"]')
    await phone.fill('12')
    await admin.getByRole('button', { name: 'Guardar propietarios' }).click()
    await admin.getByRole('alert').filter({ hasText: 'Revise el campo «Teléfono»' }).waitFor()
    await phone.fill('6000-0005')
    // A co-owner added, who becomes the representative.
    await admin.locator('input[name="new.fullName"]').fill('Gloria Espinosa')
    await admin.locator('input[name="new.documentId"]').fill('8-777-777')
    await admin.locator('input[name="representative"][value="new"]').check()
    await admin.getByRole('button', { name: 'Guardar propietarios' }).click()
    await see(admin, 'Propietarios de la unidad 2B guardados.')
    await shoot(admin, SHOTS, 'unit-editor', { phoneScreen: true })
    await admin.getByRole('button', { name: 'Cerrar el editor' }).click()
    // Closing redraws the list: wait for it, or the search below is typed into a form about to go.
    await admin.getByRole('heading', { name: 'Editar unidad 2B' }).waitFor({ state: 'detached' })
    const row2B = admin.getByRole('row').filter({ has: admin.getByRole('rowheader', { name: '2B' }) })
    expect(await row2B.textContent()).toContain('Gloria Espinosa · 8-777-777 (representante)')
    expect(await row2B.textContent()).toContain('F-12-bis')

    // Search by owner name (any case, no accents) and by cédula without dashes.
    await admin.getByLabel('Buscar unidad').fill('gloria')
    await admin.getByRole('button', { name: 'Buscar', exact: true }).click()
    await see(admin, '1 de 5 unidades coinciden con «gloria».')
    expect(await admin.getByRole('rowheader').allTextContents()).toEqual(['2B'])
    await admin.getByLabel('Buscar unidad').fill('8333333')
    await admin.getByRole('button', { name: 'Buscar', exact: true }).click()
    await see(admin, '1 de 5 unidades coinciden con «8333333».')
    expect(await admin.getByRole('rowheader').allTextContents()).toEqual(['10A'])
    await admin.getByRole('button', { name: 'Ver todas' }).click()
    await see(admin, 'Mostrando 5 de 5 unidades.')
    expect(await admin.getByRole('button', { name: 'Mostrar más' }).isVisible()).toBe(false)

    // People: an owner is not offered for deletion (the reason is given instead); a person who
    // owns nothing and never held a proxy is, and goes.
    const added = await admin.request.post(`${stack.origin}/api/organizations/${organization.id}/people`, {
      data: { fullName: 'Hugo Huerta' },
      headers: { origin: stack.origin },
    })
    expect(added.status()).toBe(200)
    await admin.reload()
    const people = admin.locator('section[aria-labelledby="people-title"]')
    const ana = people.getByRole('listitem').filter({ hasText: 'Ana Acosta' })
    expect(await ana.textContent()).toContain('Es propietario de 1 unidad: quítelo de su unidad primero')
    expect(await people.getByRole('button', { name: 'Eliminar persona: Ana Acosta' }).count()).toBe(0)
    await shoot(admin, SHOTS, 'people')
    for (const viewport of [
      { width: 1366, height: 900 },
      { width: 390, height: 844 },
    ]) {
      await admin.setViewportSize(viewport)
      await people.screenshot({ path: `${SHOTS}/people-section-${viewport.width}.png` })
    }
    await admin.setViewportSize({ width: 1366, height: 900 })
    admin.once('dialog', (dialog) => void dialog.accept())
    await people.getByRole('button', { name: 'Eliminar persona: Hugo Huerta' }).click()
    await see(admin, 'Hugo Huerta eliminado del PH.')

    // A unit that never took part in an assembly can be deleted; one with history would be refused.
    // The list of units in arrears: the rest become up to date, all recorded.
    await admin.getByLabel('Unidades morosas').fill('1B\n10a')
    await admin.getByRole('button', { name: 'Aplicar morosidad' }).click()
    await see(admin, /2 unidades morosas/)
    const behind = await admin
      .getByRole('row')
      .filter({ hasText: 'No, moroso' })
      .getByRole('rowheader')
      .allTextContents()
    expect(behind).toEqual(['1B', '10A'])
    await admin.getByLabel('Unidades morosas').fill('99Z')
    await admin.getByRole('button', { name: 'Aplicar morosidad' }).click()
    await see(admin, 'Estas unidades no existen en el PH: 99Z. No se cambió nada.')
    // One unit marked up to date from its row.
    await admin.getByRole('button', { name: 'Marcar al día 1B' }).click()
    await see(admin, 'Unidad 1B marcada al día.')
    await shoot(admin, SHOTS, 'units-after', { phoneScreen: true })

    // Invite every owner with an email: the outcome per recipient is in the log on the same page.
    await admin.getByRole('button', { name: 'Invitar a todos los propietarios con correo' }).click()
    await see(admin, 'Invitaciones enviadas: 5. Fallidas: 0. Propietarios sin correo: 3.')
    const log = admin.getByRole('table').filter({ hasText: 'Últimos 50 correos' })
    expect(await log.getByRole('row').filter({ hasText: 'ana@example.com' }).textContent()).toContain(
      'Entregado al servidor de correo',
    )
    await shoot(admin, SHOTS, 'invitations', { phoneScreen: true })
  }, 120_000)
})
