import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { join } from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { createTestUser } from '../../core/services-testing.ts'
import { axeViolations } from './axe.ts'
import { hasChromium, SCREENSHOTS, type Stack, see, startStack } from './stack.ts'

/*
 * A whole assembly in Chromium against the real processes: a platform admin creates the PH, its admin
 * imports the roster from CSV, prepares an assembly (agenda, motion, proxies with a document),
 * convenes and starts it; the desk checks units in (a QR code typed in, a search) while the quorum
 * gate holds the motion; owners and a proxy holder vote from their own browsers; the projector shows
 * the weighted tally live from its signed link; the admin closes the motion and downloads the acta.
 */

if (!hasChromium) throw new Error('Chromium is missing: run `bash web/tests/install-chromium.sh` (CI does)')

const ROSTER = [
  'unidad;finca;coeficiente;propietario;correo;teléfono;al día',
  '101;F-101;40;Ana Acosta;ana@example.com;+507 6000-0001;sí',
  '102;F-102;30;Beto Barría;beto@example.com;+507 6000-0002;sí',
  '103;F-103;20;Carla Castillo;carla@example.com;+507 6000-0003;sí',
  '104;F-104;10;Dario Díaz;dario@example.com;+507 6000-0004;sí',
].join('\n')
const BROKEN_ROSTER = ROSTER.replace('102;F-102;30;', '102;F-102;treinta;')
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n')
const MOTION = 'Aprobar el presupuesto 2026'

let stack: Stack
const contexts: BrowserContext[] = []
/** Pages left open by the assembly test for the accessibility check. */
const pages: Record<string, Page> = {}

beforeAll(async () => {
  stack = await startStack()
}, 60_000)

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {})
  await stack?.stop()
}, 30_000)

/** On a failure, a screenshot of every open page (CI keeps artifacts/screenshots/). */
async function captureFailure<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (error) {
    let n = 0
    for (const context of contexts) {
      for (const page of context.pages()) {
        await page
          .screenshot({ path: join(SCREENSHOTS, `failure-${++n}.png`), fullPage: true })
          .catch(() => {})
      }
    }
    throw error
  }
}

async function signedInPage(email: string, next = '/', options: Parameters<Stack['newContext']>[0] = {}) {
  const context = await stack.newContext(options)
  contexts.push(context)
  const page = await context.newPage()
  await stack.signIn(page, email, next)
  return page
}

/** Percent as the projector prints it in the PH's locale (es-PA), two decimals, e.g. "60.00 %". */
const percent = (value: number) =>
  `${new Intl.NumberFormat('es-PA', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(value)} %`

/**
 * The whole assembly, run once however many tests need it: the accessibility check looks at the pages
 * it leaves open, and tests run in random order.
 */
let wholeAssembly: Promise<void> | null = null
const runWholeAssembly = () =>
  (wholeAssembly ??= captureFailure(async () => {
    // The operator creates the PH and its first administrator.
    await createTestUser(stack.services, { email: 'operator@example.com', platformAdmin: true })
    const operator = await signedInPage('operator@example.com', '/platform')
    await operator.getByLabel('Nombre del PH').fill('PH Torre del Mar')
    await operator.getByLabel('Identificador corto').fill('torre-del-mar')
    await operator.getByLabel('Correo del administrador del PH').fill('admin@example.com')
    await operator.getByRole('button', { name: 'Crear PH' }).click()
    const consoleLink = operator.getByRole('link', { name: 'Abrir consola' })
    await consoleLink.waitFor()
    const organizationId = new URL((await consoleLink.getAttribute('href'))!, stack.origin).searchParams.get(
      'organization',
    )!

    // The PH admin imports the roster: a dry run shows the broken line, then the real import.
    const admin = await signedInPage('admin@example.com', `/admin?organization=${organizationId}#units`)
    pages.admin = admin
    const upload = async (csv: string, button: string) => {
      await admin.getByLabel('Todo el padrón: reemplaza la lista de unidades').check()
      await admin
        .getByLabel('Archivo CSV')
        .setInputFiles({ name: 'roster.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
      await admin.getByRole('button', { name: button }).click()
    }
    await upload(BROKEN_ROSTER, 'Probar sin guardar')
    const errors = admin.getByRole('table').filter({ hasText: 'Errores' })
    await errors.waitFor()
    expect(await errors.getByRole('row').filter({ hasText: 'treinta' }).first().textContent()).toContain('3')
    await upload(ROSTER, 'Probar sin guardar')
    await see(admin, 'Prueba terminada: no se guardó nada.')
    await see(admin, 'Unidades nuevas: 4')
    await upload(ROSTER, 'Importar')
    await see(admin, 'Importación terminada: los cambios se guardaron.')
    await admin.getByRole('rowheader', { name: '104' }).waitFor()

    // An assembly with its agenda, a motion and two proxies for a non-owner.
    await admin.getByRole('link', { name: 'Asambleas' }).click()
    await admin.getByLabel('Título').fill('Asamblea ordinaria 2026')
    await admin.getByLabel('Lugar').fill('Salón de eventos, planta baja')
    await admin.getByLabel('Enlace de la reunión virtual').fill('https://meet.example.com/torre-del-mar')
    await admin.getByLabel('Primera convocatoria (fecha y hora)').fill('2026-03-10T19:00')
    // The rule allows a second call: the notice must say when (the second-call clause).
    await admin.getByLabel('Segunda convocatoria (fecha y hora)').fill('2026-03-10T19:30')
    await admin.getByLabel('Convocada por').fill('La Junta Directiva')
    await admin.getByLabel('Cargo de quien convoca').fill('Presidente de la Junta Directiva')
    await admin.getByLabel('Texto de la convocatoria').fill('Se convoca a la asamblea ordinaria anual.')
    // Presets are offered by their display name (never a code); this PH's by-laws count the coefficient.
    await admin.getByLabel('Regla de quórum').selectOption({
      label: 'Reglamento: más de la mitad del coeficiente; 2.ª convocatoria: cualquier número de presentes',
    })
    await admin.getByRole('button', { name: 'Crear asamblea' }).click()
    await admin.waitForURL(/#assembly=/)
    const assemblyId = decodeURIComponent(new URL(admin.url()).hash.replace('#assembly=', ''))
    await admin.getByLabel('Nuevo punto').fill('Presupuesto 2026')
    await admin.getByRole('button', { name: 'Agregar punto' }).click()
    await see(admin, 'Punto agregado.')
    await admin.getByLabel('Título de la moción').fill(MOTION)
    await admin.getByRole('button', { name: 'Crear moción' }).click()
    await admin.getByRole('heading', { name: MOTION }).waitFor()
    for (const unit of ['103', '104']) {
      await admin.getByLabel('Unidad que otorga el poder').fill(unit)
      await admin.getByLabel('Nombre del apoderado').fill('Elena Espinosa')
      await admin.getByLabel('Correo del apoderado (opcional)').fill('elena@example.com')
      if (unit === '103') {
        await admin
          .getByLabel(/Documento firmado/)
          .setInputFiles({ name: 'poder.pdf', mimeType: 'application/pdf', buffer: PDF })
      }
      await admin.getByRole('button', { name: 'Registrar poder' }).click()
      await see(admin, `Unidad ${unit} → Elena Espinosa`)
    }
    expect(await admin.getByRole('link', { name: 'Ver documento' }).count()).toBe(1)
    // The meeting is today, outside the ordinary 10–20 days' notice: convening needs the reason.
    await admin.getByRole('button', { name: 'Convocar' }).click()
    await see(admin, 'fuera del plazo de aviso del PH')
    expect(await admin.evaluate(() => document.activeElement?.id)).toBe('notice-window-reason')
    await admin.getByLabel('Motivo para convocar fuera del plazo').fill('Asamblea de prueba')
    await admin.getByRole('button', { name: 'Convocar' }).click()
    await admin.getByRole('button', { name: 'Iniciar la asamblea' }).click()
    await admin.getByRole('button', { name: 'Suspender' }).waitFor()

    // The projector opens the signed read-only link, without signing in.
    await admin.getByRole('button', { name: 'Crear enlace para el proyector' }).click()
    const screenUrl = (await admin.locator('code').filter({ hasText: '/screen?token=' }).textContent())!
    const projector = await stack.newContext({ viewport: { width: 1600, height: 900 } })
    contexts.push(projector)
    const screen = await projector.newPage()
    pages.screen = screen
    await screen.goto(screenUrl)
    await screen.getByRole('heading', { name: 'Asamblea ordinaria 2026' }).waitFor()

    // Ana shows her check-in QR; the desk types its code in. Opening the vote is refused: no quorum.
    const ana = await signedInPage('ana@example.com', '/', {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    })
    await ana.getByRole('button', { name: 'Mostrar mi código QR de registro' }).click()
    await ana.getByRole('img', { name: /Código QR de registro de Ana Acosta/ }).waitFor()
    const anaCode = (await ana.locator('p.mono').textContent())!.trim()
    const desk = await admin.context().newPage()
    pages.desk = desk
    await desk.goto(`${stack.origin}/desk?organization=${organizationId}&assembly=${assemblyId}`)
    await desk.getByLabel('Código de registro').fill(anaCode)
    await desk.getByRole('button', { name: 'Registrar con código' }).click()
    await see(desk, 'Entrada registrada: unidad 101.')
    await admin.getByRole('button', { name: 'Abrir votación' }).click()
    await see(admin, /No se puede abrir la votación: no hay quórum/)

    // The desk finds Beto's unit; Elena checks herself in remotely for the units she represents.
    await desk.getByLabel('Buscar por unidad, nombre, correo o cédula').fill('102')
    await desk.getByRole('button', { name: 'Registrar entrada: Beto Barría' }).click()
    await see(desk, 'Entrada registrada: unidad 102.')
    await see(desk, 'Hay quórum')
    const elena = await signedInPage('elena@example.com')
    await elena.getByRole('button', { name: 'Registrar mi asistencia remota' }).click()
    await see(elena, /Asistencia remota registrada: unidades (103, 104|104, 103)/)
    await see(screen, '4 de 4 unidades')

    // The motion opens; two owners and the proxy holder vote from their own browsers.
    await admin.getByRole('button', { name: 'Abrir votación' }).click()
    await see(admin, `Votación abierta: «${MOTION}».`)
    const votePath = `/vote?organization=${organizationId}&assembly=${assemblyId}`

    await ana.goto(`${stack.origin}${votePath}`)
    pages.vote = ana
    await ana.getByRole('radio', { name: 'Sí' }).check()
    await ana.screenshot({ path: join(SCREENSHOTS, 'voting-page-phone.png'), fullPage: true })
    await ana.getByRole('button', { name: 'Revisar mi voto' }).click()
    await see(ana, 'Unidad 101: Sí')
    await ana.getByRole('button', { name: 'Confirmar y votar' }).click()
    await see(ana, 'Su voto quedó registrado.')
    await ana.screenshot({ path: join(SCREENSHOTS, 'voting-page-phone-receipt.png'), fullPage: true })
    const anaReceipt = (await ana.locator('.receipt-code').first().textContent())!.trim()

    const beto = await signedInPage('beto@example.com', votePath)
    await beto.getByRole('radio', { name: 'Sí' }).check()
    await beto.getByRole('button', { name: 'Revisar mi voto' }).click()
    await beto.getByRole('button', { name: 'Confirmar y votar' }).click()
    await see(beto, 'Su voto quedó registrado.')
    await beto.getByRole('button', { name: 'Cambiar mi voto' }).click()
    await beto.getByRole('radio', { name: 'No' }).check()
    await beto.getByRole('button', { name: 'Revisar mi voto' }).click()
    await see(beto, 'Unidad 102: No')
    await beto.getByRole('button', { name: 'Confirmar y votar' }).click()
    await see(beto, 'Su voto quedó registrado.')

    await elena.goto(`${stack.origin}${votePath}`)
    await elena.getByRole('radio', { name: 'Cada unidad por separado' }).check()
    await elena
      .getByRole('group', { name: /Unidad 103/ })
      .getByRole('radio', { name: 'Sí' })
      .check()
    await elena
      .getByRole('group', { name: /Unidad 104/ })
      .getByRole('radio', { name: 'Abstención' })
      .check()
    await elena.getByRole('button', { name: 'Revisar mi voto' }).click()
    await see(elena, 'Unidad 103: Sí')
    await see(elena, 'Unidad 104: Abstención')
    await elena.getByRole('button', { name: 'Confirmar y votar' }).click()
    await see(elena, 'Voto registrado para 2 unidades.')

    // Results are sealed until the close (the PH default): the projector shows only the turnout.
    await see(screen, 'Votos: 4 de 4 unidades habilitadas')
    await see(screen, 'Resultados reservados hasta el cierre.')
    expect(await screen.locator('main').textContent()).not.toContain(percent(60))
    await screen.screenshot({ path: join(SCREENSHOTS, 'tally-screen.png') })

    // The admin closes the motion: the result and its explanation; the acta downloads.
    admin.once('dialog', (dialog) => void dialog.accept())
    await admin.getByRole('button', { name: 'Cerrar votación' }).click()
    await see(admin, 'Resultado: Aprobada')
    await see(screen, 'Resultado: Aprobada')
    // Then the weighted totals: yes 60 % (2 units), no 30 % (1), abstain 10 % (1).
    const option = (label: string) =>
      screen.locator('.option').filter({ has: screen.getByRole('heading', { name: label, exact: true }) })
    expect(await option('Sí').textContent()).toContain(percent(60))
    expect(await option('Sí').textContent()).toContain('2 unidades')
    expect(await option('No').textContent()).toContain(percent(30))
    expect(await option('No').textContent()).toContain('1 unidad')
    expect(await option('Abstención').textContent()).toContain(percent(10))
    await screen.screenshot({ path: join(SCREENSHOTS, 'tally-screen-result.png') })
    await ana
      .getByText(`La votación «${MOTION}» se cerró.`, { exact: false })
      .or(ana.getByText('Votaciones cerradas'))
      .first()
      .waitFor()

    const [pdf] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('link', { name: 'Acta (PDF)' }).click(),
    ])
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/)
    const html = await admin.request.get(
      `${stack.origin}/api/organizations/${organizationId}/assemblies/${assemblyId}/acta?format=html`,
    )
    expect(html.status()).toBe(200)
    expect(await html.text()).toContain(MOTION)
    const [csv] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByRole('link', { name: 'Asistencia (CSV)' }).click(),
    ])
    expect(csv.suggestedFilename()).toMatch(/\.csv$/)

    // Ana's receipt is on the public list of the motion.
    const motions = await admin.request.get(
      `${stack.origin}/api/organizations/${organizationId}/assemblies/${assemblyId}/motions`,
    )
    const [motion] = ((await motions.json()) as { motions: { id: string }[] }).motions
    const receipts = await ana.context().newPage()
    await receipts.goto(`${stack.origin}/receipts?motion=${motion!.id}&code=${anaReceipt}`)
    await see(receipts, /Su recibo está en la lista pública/)
    pages.receipts = receipts
    const home = await ana.context().newPage()
    await home.goto(`${stack.origin}/`)
    await home.getByRole('heading', { name: 'PH Torre del Mar' }).waitFor()
    pages.home = home
  }))

describe('the web client in Chromium', () => {
  it('runs a whole assembly from roster import to acta', () => runWholeAssembly(), 110_000)

  it(
    'adds a passkey after a code sign-in and signs in with it (CDP virtual authenticator)',
    () =>
      captureFailure(async () => {
        await createTestUser(stack.services, { email: 'pat@example.com' })
        const context = await stack.newContext()
        contexts.push(context)
        const page = await context.newPage()
        const cdp = await context.newCDPSession(page)
        await cdp.send('WebAuthn.enable')
        const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
          options: {
            protocol: 'ctap2',
            transport: 'internal',
            hasResidentKey: true,
            hasUserVerification: true,
            isUserVerified: true,
            automaticPresenceSimulation: true,
          },
        })
        await page.goto(`${stack.origin}/sign-in`)
        await page.getByLabel('Correo electrónico').fill('pat@example.com')
        await page.getByRole('button', { name: 'Enviarme un código' }).click()
        await page.getByLabel('Código de 6 dígitos').fill(await stack.mailedCode('pat@example.com'))
        await page.getByRole('button', { name: 'Ingresar', exact: true }).click()
        await page.getByRole('button', { name: 'Crear llave de acceso' }).click()
        await see(page, 'Llave de acceso creada. La próxima vez podrá ingresar con ella.')
        const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
        expect(credentials.map((credential) => credential.isResidentCredential)).toEqual([true])

        await page.getByRole('link', { name: 'Continuar' }).click()
        await page.getByRole('heading', { name: 'Mis llaves de acceso' }).waitFor()
        await page.getByRole('button', { name: 'Cerrar sesión' }).click()
        await page.waitForURL((url) => url.pathname === '/sign-in')
        // The virtual authenticator answers the page's autofill (conditional) request by itself; the
        // button is the way in when it does not.
        const home = page.waitForURL((url) => url.pathname === '/')
        await Promise.race([
          home,
          page
            .getByRole('button', { name: 'Ingresar con llave de acceso' })
            .click({ timeout: 3000 })
            .catch(() => {}),
        ])
        await home
        await page.getByRole('heading', { name: 'Hola, pat@example.com' }).waitFor()
      }),
    30_000,
  )

  it('switches to English and remembers the choice', async () => {
    const context = await stack.newContext()
    contexts.push(context)
    const page = await context.newPage()
    await page.goto(`${stack.origin}/sign-in`)
    await page.getByRole('button', { name: 'Switch to English' }).click()
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor()
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    await page.reload()
    await page.getByRole('button', { name: 'Send me a code' }).waitFor()
    await page.getByRole('button', { name: 'Cambiar a español' }).click()
    await page.getByRole('heading', { name: 'Ingresar', level: 1 }).waitFor()
  }, 20_000)

  it('shows no serious or critical accessibility problems on the main pages (axe-core)', async () => {
    await runWholeAssembly()
    const signInContext = await stack.newContext()
    contexts.push(signInContext)
    const signIn = await signInContext.newPage()
    await signIn.goto(`${stack.origin}/sign-in`)
    await signIn.getByRole('button', { name: 'Enviarme un código' }).waitFor()
    const checked = { 'sign-in': signIn, ...pages }
    expect(Object.keys(checked)).toEqual(
      expect.arrayContaining(['sign-in', 'admin', 'screen', 'home', 'desk', 'vote', 'receipts']),
    )
    const problems: string[] = []
    for (const [name, page] of Object.entries(checked)) {
      for (const violation of await axeViolations(page)) problems.push(`${name}: ${violation}`)
      await page.screenshot({ path: join(SCREENSHOTS, `page-${name}.png`), fullPage: true })
    }
    expect(problems).toEqual([])
  }, 140_000)
})
