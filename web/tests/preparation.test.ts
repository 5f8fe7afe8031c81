import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { BrowserContext, Page } from 'playwright-core'
import { step } from '../../core/story-testing.ts'
import { hasChromium, type Stack, see, shoot, startStack, sunkMail, waitForSunkMail } from './stack.ts'

/*
 * The weeks before an assembly, done by a PH administrator in Spanish through the web client only,
 * on a fresh PH whose mail goes through SMTP to a local sink: import the roster with co-owners (dry
 * run, then apply), fix a unit and an owner, mark units in arrears (one by one and from a list),
 * invite the owners, create the assembly with its agenda, motion and documents, convene (every owner
 * gets the notice with the date, place, video link and agenda), move the time (every owner gets the
 * corrected notice; both are kept), then an owner on a phone gives a directed proxy with the signed
 * document, and the holder signs in and sees it.
 */

if (!hasChromium) throw new Error('Chromium is missing: run `bash web/tests/install-chromium.sh` (CI does)')

const SHOTS = process.env.SHOTS_DIR ?? '/tmp/shots/prep'
const DAY = 86_400_000
const ADMIN = 'admin@altos.example'

// Beto's email is mistyped and 2B's finca is wrong: the administrator fixes both in the console.
const ROSTER = [
  'Unidad;Finca;Coeficiente;Propietario;Cédula;Correo;Teléfono;Al día;Copropietarios',
  '1A;F-101;20;Ana Acosta;8-111-111;ana@altos.example;6000-0001;sí;Eva Acosta <eva@altos.example> | Iván Acosta <ivan@altos.example>',
  '2A;F-102;20;Beto Barría;8-222-222;beto@altos.exmaple;6000-0002;sí;',
  '10A;F-110;15;Carla Castillo;8-333-333;carla@altos.example;;sí;',
  '1B;F-201;15;Darío Díaz;PA-998877;dario@altos.example;;sí;',
  '2B;F-2B;15;Elena Espinosa;8-555-555;elena@altos.example;;sí;Fabián Espinosa <fabian@altos.example>',
  '3B;F-203;15;Gloria Guerra;8-666-666;gloria@altos.example;;sí;',
].join('\n')
const OWNERS = [
  'ana@altos.example',
  'eva@altos.example',
  'ivan@altos.example',
  'beto@altos.example',
  'carla@altos.example',
  'dario@altos.example',
  'elena@altos.example',
  'fabian@altos.example',
  'gloria@altos.example',
].sort()

const PLACE = 'Salón social, planta baja'
const VIDEO = 'https://meet.example.com/altos-del-rio'
const AGENDA = ['Verificación del quórum', 'Informe de la administración', 'Presupuesto 2027']
const MOTION = 'Aprobar el presupuesto 2027'
const PDF = Buffer.from('%PDF-1.4\n% documento de prueba\n%%EOF\n')

/** 15 days ahead (inside the ordinary 10–20 day window) at `time` in Panama (UTC−5, no summer time). */
const meetingDay = new Date(Date.now() - 5 * 3_600_000 + 15 * DAY).toISOString().slice(0, 10)
const panamaTime = (time: string) => new Date(`${meetingDay}T${time}:00-05:00`)
/** How the notice words a date and time: the PH is Spanish, in Panama. */
const spoken = (date: Date) =>
  new Intl.DateTimeFormat('es-PA', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: 'America/Panama',
  }).format(date)

let stack: Stack
const contexts: BrowserContext[] = []

beforeAll(async () => {
  stack = await startStack({}, { smtpSink: true })
}, 120_000)

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {})
  await stack?.stop()
}, 30_000)

const section = (page: Page, headingId: string) =>
  page.locator('section', { has: page.locator(`#${headingId}`) })

describe('preparing an assembly in Chromium, Spanish, mail through an SMTP sink', () => {
  it('runs the whole preparation on a fresh PH from the web client', async () => {
    const organization = await stack.createPhWithAdmin({
      name: 'PH Altos del Río',
      slug: 'altos',
      adminEmail: ADMIN,
    })
    const context = await stack.newContext({ viewport: { width: 1366, height: 900 } })
    contexts.push(context)
    const admin = await context.newPage()
    await stack.signIn(admin, ADMIN, `/admin?organization=${organization.id}#units`)
    await see(admin, 'Todavía no hay unidades')

    await step('import the roster with co-owners: dry run with the sum, then apply', async () => {
      const imports = section(admin, 'import-title')
      await imports.getByLabel(/^Todo el padrón/).check()
      await imports
        .getByLabel('Archivo CSV')
        .setInputFiles({ name: 'padron.csv', mimeType: 'text/csv', buffer: Buffer.from(ROSTER) })
      await imports.getByRole('button', { name: 'Probar sin guardar' }).click()
      await see(admin, 'El PH quedará con 6 unidades y sus coeficientes sumarán 100.000000 %.')
      await see(admin, 'Prueba terminada: no se guardó nada.')
      await section(admin, 'import-title').scrollIntoViewIfNeeded()
      await shoot(admin, SHOTS, 'import-dry-run')
      // Nothing saved by the dry run.
      await see(admin, 'Todavía no hay unidades')
      await imports.getByRole('button', { name: 'Importar' }).click()
      await see(admin, 'Importación terminada: los cambios se guardaron.')
      expect(await admin.getByRole('rowheader').allTextContents()).toEqual([
        '1A',
        '1B',
        '2A',
        '2B',
        '3B',
        '10A',
      ])
      const row1A = admin.getByRole('row').filter({ has: admin.getByRole('rowheader', { name: '1A' }) })
      expect(await row1A.textContent()).toContain('Iván Acosta')
      expect(await row1A.textContent()).toContain('Ana Acosta · 8-111-111 (representante)')
      await shoot(admin, SHOTS, 'roster', { phoneScreen: true })
    })

    await step('fix a unit (finca) and an owner (email typo) in the edit forms', async () => {
      await admin.getByRole('button', { name: 'Editar unidad 2B' }).click()
      await admin.getByRole('heading', { name: 'Editar unidad 2B' }).waitFor()
      await admin.getByLabel('Finca').fill('F-202')
      await admin.getByRole('button', { name: 'Guardar unidad' }).click()
      await see(admin, 'Unidad 2B guardada.')
      await admin.getByRole('button', { name: 'Cerrar el editor' }).click()
      await admin.getByRole('heading', { name: 'Editar unidad 2B' }).waitFor({ state: 'detached' })
      await admin.getByRole('button', { name: 'Editar unidad 2A' }).click()
      await admin.getByRole('heading', { name: 'Editar unidad 2A' }).waitFor()
      const email = admin.locator('input[name="o0.email"]')
      expect(await email.inputValue()).toBe('beto@altos.exmaple')
      await email.fill('beto@altos.example')
      await admin.getByRole('button', { name: 'Guardar propietarios' }).click()
      await see(admin, 'Propietarios de la unidad 2A guardados.')
      await shoot(admin, SHOTS, 'unit-edit', { phoneScreen: true })
      await admin.getByRole('button', { name: 'Cerrar el editor' }).click()
      await admin.getByRole('heading', { name: 'Editar unidad 2A' }).waitFor({ state: 'detached' })
      const row2B = admin.getByRole('row').filter({ has: admin.getByRole('rowheader', { name: '2B' }) })
      expect(await row2B.textContent()).toContain('F-202')
      const row2A = admin.getByRole('row').filter({ has: admin.getByRole('rowheader', { name: '2A' }) })
      expect(await row2A.textContent()).toContain('Beto Barría')
    })

    await step('mark units in arrears: from a list, then one from its row', async () => {
      await admin.getByLabel('Unidades morosas').fill('1B\n3b')
      await admin.getByRole('button', { name: 'Aplicar morosidad' }).click()
      await see(admin, /2 unidades morosas/)
      await admin.getByRole('button', { name: 'Marcar moroso 10A' }).click()
      await see(admin, 'Unidad 10A marcada como morosa.')
      const behind = await admin
        .getByRole('row')
        .filter({ hasText: 'No, moroso' })
        .getByRole('rowheader')
        .allTextContents()
      expect(behind).toEqual(['1B', '3B', '10A'])
      await section(admin, 'arrears-title').scrollIntoViewIfNeeded()
      await shoot(admin, SHOTS, 'arrears')
    })

    await step('invite every owner: each gets an invitation at the corrected address', async () => {
      const mark = stack.sink!.messages.length
      await admin.getByRole('button', { name: 'Invitar a todos los propietarios con correo' }).click()
      await see(admin, 'Invitaciones enviadas: 9. Fallidas: 0. Propietarios sin correo: 0.')
      const invited = stack.sink!.messages.slice(mark).flatMap((message) => message.to)
      expect(invited.sort()).toEqual(OWNERS)
      // Each invitation says what the platform is and how to sign in, with the owner's own address.
      for (const invitation of sunkMail(stack.sink!, mark, /invitación a Asamblea 2\.0/)) {
        expect(invitation.text).toContain(
          'Asamblea 2.0 es la plataforma donde el PH prepara y celebra sus asambleas',
        )
        expect(invitation.text).toContain(`${stack.origin}/sign-in`)
        expect(invitation.text).toContain(`(${invitation.to[0]})`)
      }
      expect(sunkMail(stack.sink!, mark, /invitación a Asamblea 2\.0/)).toHaveLength(OWNERS.length)
      await section(admin, 'mail-title').scrollIntoViewIfNeeded()
      await shoot(admin, SHOTS, 'invitations')
    })

    await step('create the assembly; the convocatoria lists what is missing', async () => {
      await admin.getByRole('link', { name: 'Asambleas' }).click()
      const form = section(admin, 'create-title')
      await form.getByLabel('Título').fill('Asamblea Ordinaria 2027')
      await form.getByLabel('Lugar').fill(PLACE)
      await form.getByLabel('Enlace de la reunión virtual').fill(VIDEO)
      await form.getByLabel('Primera convocatoria (fecha y hora)').fill(`${meetingDay}T19:00`)
      await form.getByLabel('Segunda convocatoria (fecha y hora)').fill(`${meetingDay}T20:00`)
      await form.getByLabel('Convocada por').fill('Marta Méndez')
      // The chosen quorum rule is spelled out in full under the list, with its note.
      await form.getByLabel('Regla de quórum').selectOption('bylaws-coefficient-any-present')
      await form
        .getByText(
          'Reglamento: más de la mitad del coeficiente; 2.ª convocatoria: cualquier número de presentes. Confirme esta cifra con su reglamento de copropiedad.',
        )
        .waitFor()
      await shoot(admin, SHOTS, 'assembly-form')
      await form.getByRole('button', { name: 'Crear asamblea' }).click()
      await admin.getByRole('heading', { name: 'Asamblea Ordinaria 2027' }).waitFor()
      await see(admin, 'Falta para poder convocar:')
      expect(await admin.locator('#notice-missing a').allTextContents()).toEqual([
        'Cargo de quien convoca',
        'Al menos un punto en el orden del día',
      ])
      await section(admin, 'notice-title').scrollIntoViewIfNeeded()
      await shoot(admin, SHOTS, 'convocatoria-missing')
    })

    await step('complete the convocatoria: position, agenda, a motion and documents', async () => {
      await admin.locator('#notice-missing a').first().click()
      await admin.getByLabel('Cargo de quien convoca').fill('Administradora del PH')
      await admin.getByRole('button', { name: 'Guardar la convocatoria' }).click()
      await see(admin, 'Convocatoria guardada.')
      for (const title of AGENDA) {
        await admin.getByLabel('Nuevo punto').fill(title)
        await admin.getByRole('button', { name: 'Agregar punto' }).click()
        await admin.locator('.agenda-list li').filter({ hasText: title }).waitFor()
      }
      await see(admin, 'La convocatoria tiene todo lo que exige la ley.')
      const motions = section(admin, 'new-motion-title')
      await motions.getByLabel('Título de la moción').fill(MOTION)
      await motions.getByLabel('Punto del orden del día').selectOption({ label: `3. ${AGENDA[2]}` })
      await motions.getByLabel('Mayoría necesaria').selectOption('ley284-art35-first-call')
      await motions.getByRole('button', { name: 'Crear moción' }).click()
      await see(admin, 'Moción creada.')
      // The motion shows its rule by name; no rule code is visible anywhere on the page.
      await see(
        admin,
        /^Regla: Cuotas extraordinarias o cambio de cuotas, 1\.ª convocatoria \(Ley 284, art\. 35\)/,
      )
      expect(await admin.locator('main').textContent()).not.toMatch(/ley284-|bylaws-/)
      for (const [title, item] of [
        ['Estados financieros 2026', null],
        ['Presupuesto 2027 detallado', AGENDA[2]!],
      ] as const) {
        const documents = section(admin, 'documents-title')
        await documents.getByLabel('Título del documento').fill(title)
        if (item) await documents.getByLabel('Punto del orden del día').selectOption({ label: item })
        await documents
          .getByLabel('Archivo', { exact: true })
          .setInputFiles({ name: `${title}.pdf`, mimeType: 'application/pdf', buffer: PDF })
        await documents.getByRole('button', { name: 'Adjuntar documento' }).click()
        await section(admin, 'documents-title').getByRole('link', { name: title }).waitFor()
      }
    })

    const assemblyPath = new URL(admin.url()).hash
    const assemblyId = decodeURIComponent(assemblyPath.replace(/^#assembly=/, ''))

    await step('preview the notice the owners will read', async () => {
      const preview = await context.newPage()
      await preview.goto(
        `${stack.origin}/api/organizations/${organization.id}/assemblies/${assemblyId}/notice?format=html`,
      )
      const text = (await preview.locator('body').textContent()) ?? ''
      expect(text).toContain('PH Altos del Río')
      expect(text).toContain(spoken(panamaTime('19:00')))
      for (const title of AGENDA) expect(text).toContain(title)
      await shoot(preview, SHOTS, 'notice-preview')
      await preview.close()
    })

    let firstNotice = 0
    await step('convene: every owner gets the notice with date, place, link and agenda', async () => {
      firstNotice = stack.sink!.messages.length
      await admin.getByRole('button', { name: 'Convocar', exact: true }).click()
      await see(admin, 'Estado actualizado: Convocada.')
      const notices = await waitForSunkMail(
        stack.sink!,
        firstNotice,
        /^Convocatoria: Asamblea Ordinaria 2027/,
        OWNERS.length,
      )
      expect(notices.flatMap((message) => message.to).sort()).toEqual(OWNERS)
      for (const notice of notices) {
        expect(notice.subject).toBe('Convocatoria: Asamblea Ordinaria 2027 (PH Altos del Río)')
        expect(notice.text).toContain(`Fecha y hora (primera convocatoria): ${spoken(panamaTime('19:00'))}`)
        expect(notice.text).toContain(`Lugar: ${PLACE}`)
        expect(notice.text).toContain(`Enlace de la reunión virtual: ${VIDEO}`)
        expect(notice.text).toContain(AGENDA.map((title, index) => `  ${index + 1}. ${title}`).join('\n\n'))
        expect(notice.text).toContain('Convoca: Marta Méndez, Administradora del PH')
        expect(notice.html).toContain(`<a href="${VIDEO}">`)
      }
    })

    await step('move the time: every owner gets a corrected notice; both notices are kept', async () => {
      const mark = stack.sink!.messages.length
      await admin.getByLabel('Primera convocatoria (fecha y hora)').fill(`${meetingDay}T18:30`)
      await admin.getByRole('button', { name: 'Guardar la convocatoria' }).click()
      await see(admin, 'Se envía un aviso corregido')
      const corrected = await waitForSunkMail(
        stack.sink!,
        mark,
        /^Aviso corregido — Convocatoria/,
        OWNERS.length,
      )
      expect(corrected.flatMap((message) => message.to).sort()).toEqual(OWNERS)
      for (const notice of corrected) {
        expect(notice.text).toStartWith('AVISO CORREGIDO: reemplaza la convocatoria anterior.')
        expect(notice.text).toContain(`Fecha y hora (primera convocatoria): ${spoken(panamaTime('18:30'))}`)
        expect(notice.text).not.toContain(spoken(panamaTime('19:00')))
      }
      // The page lists both notices once the corrected one is stored.
      for (let i = 0; i < 50 && (await admin.locator('#notices-sent > li').count()) < 2; i++) {
        await Bun.sleep(100)
        await admin.reload()
        await see(admin, 'Avisos enviados')
      }
      const sent = await admin.locator('#notices-sent > li > strong').allTextContents()
      expect(sent).toEqual(['Convocatoria', 'Aviso corregido'])
      // The first notice is still in the sink untouched: the 19:00 time, not a rewrite.
      expect(sunkMail(stack.sink!, firstNotice, /^Convocatoria:/)[0]!.text).toContain(
        spoken(panamaTime('19:00')),
      )
      // The delivery log names each kind of email in words.
      await admin.getByRole('link', { name: 'Unidades y propietarios' }).click()
      const log = admin.getByRole('table').filter({ hasText: 'Últimos 50 correos' })
      await log.getByRole('cell', { name: 'Aviso corregido' }).first().waitFor()
      expect(await log.getByRole('cell', { name: 'Aviso corregido', exact: true }).count()).toBe(
        OWNERS.length,
      )
      expect(await log.textContent()).not.toMatch(/corrected_notice|_/)
      await admin.goBack()
      await admin.getByRole('heading', { name: 'Asamblea Ordinaria 2027' }).waitFor()
    })

    const phone = await stack.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    })
    contexts.push(phone)
    await step(
      'an owner on a phone reads the notice and gives a directed proxy with the signed document',
      async () => {
        const owner = await phone.newPage()
        await stack.signIn(owner, 'ana@altos.example', '/')
        await see(owner, 'Asamblea Ordinaria 2027')
        await see(owner, PLACE)
        await see(owner, VIDEO)
        for (const title of AGENDA) await see(owner, title)
        await owner.getByRole('link', { name: 'Presupuesto 2027 detallado' }).waitFor()
        await owner.getByRole('link', { name: 'Estados financieros 2026' }).waitFor()
        await see(owner, /Unidad 1A · al día/)
        // Weeks ahead, the vote link says when voting opens rather than "Ir a votar".
        await owner
          .getByRole('link', { name: 'Página de votación (se abre el día de la asamblea)' })
          .waitFor()
        await shoot(owner, SHOTS, 'owner-home', { phoneScreen: true })
        // Someone the PH does not know, without a name: the owner is told what to add.
        await owner.getByLabel('Correo o cédula de quien la representará').fill('lucia@vecinos.example')
        await owner.getByRole('button', { name: 'Dar el poder' }).click()
        await owner
          .getByRole('alert')
          .filter({ hasText: 'No hay nadie en el PH con ese correo o cédula. Escriba el nombre completo' })
          .waitFor()
        // Said inside the form, next to the button, and what was typed is still there.
        await owner
          .locator('form.proxy-form')
          .getByRole('alert')
          .filter({ hasText: 'No hay nadie en el PH' })
          .waitFor()
        expect(await owner.getByLabel('Correo o cédula de quien la representará').inputValue()).toBe(
          'lucia@vecinos.example',
        )
        await owner.getByLabel('Nombre completo de esa persona').fill('Lucía Pérez')
        await owner.getByRole('radiogroup', { name: MOTION }).getByText('No', { exact: true }).click()
        await owner
          .getByLabel(/Poder firmado/)
          .setInputFiles({ name: 'poder-firmado.pdf', mimeType: 'application/pdf', buffer: PDF })
        await shoot(owner, SHOTS, 'proxy-filing', { phoneScreen: true })
        const mark = stack.sink!.messages.length
        await owner.getByRole('button', { name: 'Dar el poder' }).click()
        await see(owner, 'Listo: Lucía Pérez representará la unidad 1A')
        await see(owner, `${MOTION}: votar «No»`)
        await shoot(owner, SHOTS, 'proxy-filed', { phoneScreen: true })
        // The holder is told by email.
        const told = await waitForSunkMail(
          stack.sink!,
          mark,
          /^Poder para la unidad 1A — PH Altos del Río$/,
          1,
        )
        expect(told.map((message) => message.to)).toEqual([['lucia@vecinos.example']])
        expect(told[0]!.text).toContain('Ana Acosta le otorgó un poder para representar la unidad 1A')
        expect(told[0]!.text).toContain(`  • ${MOTION}: No`)
      },
    )

    await step('the holder signs in and sees the unit and how to vote', async () => {
      // Another phone: Ana's is still signed in as her.
      const holderPhone = await stack.newContext({
        viewport: { width: 390, height: 844 },
        isMobile: true,
        hasTouch: true,
      })
      contexts.push(holderPhone)
      const holder = await holderPhone.newPage()
      await stack.signIn(holder, 'lucia@vecinos.example', '/')
      await see(holder, 'Usted representa la unidad 1A, por poder de Ana Acosta')
      await see(holder, `${MOTION}: votar «No»`)
      await shoot(holder, SHOTS, 'holder-home', { phoneScreen: true })
      // The administrator sees the proxy with its document among the assembly's proxies.
      await admin.reload()
      await section(admin, 'proxies-title').getByText('Lucía Pérez').first().waitFor()
      // The signed document the owner uploaded is the one the administrator downloads.
      const documentLink = section(admin, 'proxies-title').getByRole('link', { name: 'Ver documento' })
      const signed = await admin.request.get(
        new URL((await documentLink.getAttribute('href'))!, stack.origin).href,
      )
      expect(signed.status()).toBe(200)
      expect(Buffer.from(await signed.body()).equals(PDF)).toBe(true)
      await section(admin, 'proxies-title').scrollIntoViewIfNeeded()
      await shoot(admin, SHOTS, 'admin-proxies')
    })
  }, 240_000)
})
