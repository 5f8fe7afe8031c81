import { describe, expect, it } from 'bun:test'
import { join } from 'node:path'
import { attachDocument } from '../../core/assemblies/documents.ts'
import {
  addAgendaItem,
  conveneAssembly,
  createAssembly,
  createLocalDocumentStorage,
} from '../../core/assemblies/index.ts'
import { assemblyInput } from '../../core/assemblies/testing.ts'
import { createMotion } from '../../core/motions/motions.ts'
import { importUnits } from '../../core/ph/index.ts'
import { systemActor } from '../../core/ph/testing.ts'
import { hasChromium, see, shoot, stackForTests } from './stack.ts'

/*
 * An owner, from their home in Spanish, reads the notice of the next assembly and gives a directed
 * proxy to a non-owner (voting "No" on the budget); the holder signs in and sees the unit they
 * represent and how they must vote.
 */

if (!hasChromium) throw new Error('Chromium is missing: run `bash web/tests/install-chromium.sh` (CI does)')

const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots/owner-proxy'

const ROSTER = [
  'unidad;finca;coeficiente;propietario;email;al_dia',
  '101;F-101;40;Ana Pérez;ana.owner@example.com;sí',
  '102;F-102;35;Bruno Díaz;bruno.owner@example.com;no',
  '103;F-103;25;Carla Ruiz;carla.owner@example.com;sí',
].join('\n')

const stack = stackForTests()

describe('owner-filed proxy in Chromium', () => {
  it('an owner gives a directed proxy from home and the holder sees it', async () => {
    const db = stack.services.db
    const organization = await stack.createPhWithAdmin({
      name: 'PH Brisas del Mar',
      slug: 'brisas',
      adminEmail: 'admin.brisas@example.com',
    })
    const organizationId = organization.id
    await importUnits(db, { organizationId, csv: ROSTER, actor: systemActor })
    const firstCallAt = new Date(Date.now() + 5 * 86_400_000)
    const assembly = await createAssembly(db, {
      organizationId,
      assembly: assemblyInput({
        title: 'Asamblea Ordinaria 2027',
        location: 'Salón de eventos, planta baja',
        meetingUrl: 'https://meet.example.com/brisas',
        firstCallAt,
        secondCallAt: new Date(firstCallAt.getTime() + 3_600_000),
      }),
      actor: systemActor,
    })
    let budgetItem = ''
    for (const title of ['Verificación del quórum', 'Presupuesto 2027']) {
      const items = await addAgendaItem(db, {
        organizationId,
        assemblyId: assembly.id,
        item: { title },
        actor: systemActor,
      })
      budgetItem = items.at(-1)!.id
    }
    const pdf = new TextEncoder().encode('%PDF-1.4\n% presupuesto\n%%EOF\n')
    await attachDocument(
      db,
      {
        organizationId,
        assemblyId: assembly.id,
        agendaItemId: budgetItem,
        title: 'Presupuesto 2027 detallado',
        fileName: 'presupuesto.pdf',
        contentType: 'application/pdf',
        bytes: pdf,
        actor: systemActor,
      },
      { storage: createLocalDocumentStorage(join(stack.services.config.dataDir, 'documents')) },
    )
    await createMotion(db, {
      organizationId,
      assemblyId: assembly.id,
      actor: systemActor,
      title: 'Aprobar el presupuesto 2027',
    })
    // Five days ahead is outside the ordinary notice window: convening records a reason.
    await conveneAssembly(db, {
      organizationId,
      assemblyId: assembly.id,
      actor: systemActor,
      windowOverrideReason: 'Test meeting five days ahead',
    })

    const owner = await stack.openPage(
      { width: 1366, height: 900 },
      { email: 'ana.owner@example.com', next: '/' },
    )
    await see(owner, 'Asamblea Ordinaria 2027')
    await see(owner, 'Salón de eventos, planta baja')
    await see(owner, 'https://meet.example.com/brisas')
    await see(owner, 'Verificación del quórum')
    const link = owner.getByRole('link', { name: 'Presupuesto 2027 detallado' })
    const download = await owner.request.get(new URL((await link.getAttribute('href'))!, stack.origin).href)
    expect(download.status()).toBe(200)
    expect(new Uint8Array(await download.body())).toEqual(pdf)
    await see(owner, 'Dar un poder')
    await shoot(owner, SHOTS, 'home-owner-before')

    await owner.getByLabel('Correo o cédula de quien la representará').fill('lucia.holder@example.com')
    await owner.getByLabel('Nombre completo de esa persona').fill('Lucía Pérez')
    await owner
      .getByRole('radiogroup', { name: 'Aprobar el presupuesto 2027' })
      .getByText('No', { exact: true })
      .click()
    await owner.getByRole('button', { name: 'Dar el poder' }).click()
    await see(owner, 'Listo: Lucía Pérez representará la unidad 101')
    await see(owner, 'Aprobar el presupuesto 2027: votar «No»')
    await shoot(owner, SHOTS, 'home-owner-after')

    // Carla's proxy waits for the administrator, who approves it in the console.
    const admin = await stack.openPage(
      { width: 1366, height: 900 },
      { email: 'admin.brisas@example.com', next: `/admin?organization=${organizationId}#settings` },
    )
    await admin
      .getByLabel('Los poderes que dan los propietarios desde su inicio necesitan mi aprobación')
      .check()
    await admin.getByLabel(/Plazo para que los propietarios den poderes/).fill('24')
    await admin.getByRole('button', { name: 'Guardar' }).first().click()
    await see(admin, 'Cambios guardados')
    await shoot(admin, SHOTS, 'admin-settings')
    const carla = await stack.openPage(
      { width: 390, height: 844 },
      { email: 'carla.owner@example.com', next: '/' },
    )
    await see(carla, 'La administración debe aprobarlo.')
    await carla.getByLabel('Correo o cédula de quien la representará').fill('bruno.owner@example.com')
    await carla.getByRole('button', { name: 'Dar el poder' }).click()
    await see(carla, 'cuando la administración lo apruebe')
    await see(carla, 'Esperando la aprobación de la administración')
    await admin.goto(`${stack.origin}/admin?organization=${organizationId}#assembly=${assembly.id}`)
    await see(admin, 'Dado por el propietario: espera su aprobación')
    await shoot(admin, SHOTS, 'admin-proxy-pending')
    await admin.getByRole('button', { name: 'Aprobar', exact: true }).click()
    await see(admin, 'Poder aprobado.')
    // The administrator attaches a quote to the whole assembly; the owner finds it on their home.
    await admin.getByLabel('Título del documento').fill('Cotización de pintura')
    await admin
      .getByLabel('Archivo', { exact: true })
      .setInputFiles({ name: 'cotizacion.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) })
    await admin.getByRole('button', { name: 'Adjuntar documento' }).click()
    await see(admin, 'Documento adjuntado.')
    await shoot(admin, SHOTS, 'admin-documents')
    await carla.reload()
    await see(carla, 'Documentos de la asamblea')
    await carla.getByRole('link', { name: 'Cotización de pintura' }).waitFor()
    await see(carla, 'Unidad 103: la representa Bruno Díaz')
    await see(carla, 'Vigente')

    const holder = await stack.openPage(
      { width: 390, height: 844 },
      { email: 'lucia.holder@example.com', next: '/' },
    )
    await see(holder, 'Usted representa la unidad 101, por poder de Ana Pérez')
    await see(holder, 'Aprobar el presupuesto 2027: votar «No»')
    await shoot(holder, SHOTS, 'home-holder')

    // The owner withdraws it; the form is offered again.
    await owner.getByRole('button', { name: 'Retirar este poder' }).click()
    await see(owner, 'Se retiró el poder de la unidad 101.')
    expect(await owner.getByRole('button', { name: 'Dar el poder' }).count()).toBe(1)
  }, 120_000)
})
