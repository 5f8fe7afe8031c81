import { afterAll, beforeAll } from 'bun:test'
import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { readMessage, type SmtpSink, startSmtpSink } from '../../core/mail/smtp-sink.ts'
import { createOrganization, importUnits } from '../../core/ph/index.ts'
import { createTestOrganization, systemActor } from '../../core/ph/testing.ts'
import { createTestServices, createTestUser } from '../../core/services-testing.ts'
import { startFunctionsServer } from '../../functions/_server.ts'
import { assemblyBody } from '../../functions/organizations/[organizationId]/_testing.ts'
import { startRealtimeServer } from '../../realtime/server.ts'
import { buildWeb } from '../build.ts'

export const CHROMIUM = '/usr/bin/chromium'
export const SCREENSHOTS = join(import.meta.dir, '..', '..', 'artifacts', 'screenshots')

/** Whether Debian's Chromium is installed (web/tests/install-chromium.sh). */
export const hasChromium = existsSync(CHROMIUM)

/** A port nobody listens on right now (the servers take it a moment later). */
export function freePort(): number {
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() })
  const port = server.port!
  server.stop(true)
  return port
}

/** The sign-in code last mailed to `email` by the site at `origin` (its dev mailbox, outside production). */
export async function mailedCodeAt(origin: string, email: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const response = await fetch(`${origin}/api/dev/mailbox?format=json`)
    const { messages } = (await response.json()) as { messages: { to: string; text: string }[] }
    const code = messages.find((message) => message.to === email)?.text.match(/\b(\d{6})\b/)?.[1]
    if (code) return code
    await Bun.sleep(100)
  }
  throw new Error(`no code mailed to ${email}`)
}

/** Waits until the page's main content shows the text (the live region may repeat it). */
export const see = (page: Page, text: string | RegExp) =>
  page.locator('main').getByText(text).first().waitFor()

/**
 * Full-page screenshots of the page at 1366×900 and 390×844 (`<dir>/<name>-desktop.png`, `-phone.png`;
 * with `phoneScreen`, also what a phone shows before scrolling; with `card`, that part of the page on its
 * own when it is there, `-desktop-card.png`), for people to look at; the viewport goes back to 1366×900.
 */
export async function shoot(
  page: Page,
  dir: string,
  name: string,
  options: { phoneScreen?: boolean; card?: string } = {},
) {
  await mkdir(dir, { recursive: true })
  for (const [label, viewport] of [
    ['desktop', { width: 1366, height: 900 }],
    ['phone', { width: 390, height: 844 }],
  ] as const) {
    await page.setViewportSize(viewport)
    await page.screenshot({ path: `${dir}/${name}-${label}.png`, fullPage: true })
    if (label === 'phone' && options.phoneScreen)
      await page.screenshot({ path: `${dir}/${name}-${label}-screen.png` })
    const card = options.card ? page.locator(options.card) : null
    if (card && (await card.count())) await card.screenshot({ path: `${dir}/${name}-${label}-card.png` })
  }
  await page.setViewportSize({ width: 1366, height: 900 })
}

/** Signs in through the sign-in page of the site at `origin` with an emailed code; declines the passkey offer. */
export async function signInAt(
  origin: string,
  page: Page,
  email: string,
  next = '/',
  codeFor: (email: string) => Promise<string> = (to) => mailedCodeAt(origin, to),
): Promise<void> {
  const url = `${origin}/sign-in?next=${encodeURIComponent(next)}`
  // A navigation the previous page started on its own (e.g. sent to sign-in once its session ended)
  // can abort or interrupt this one: wait for it and go again.
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(url)
      break
    } catch (error) {
      const message = String((error as Error).message)
      if (attempt >= 3 || !/ERR_ABORTED|interrupted by another navigation/.test(message)) throw error
      await page.waitForLoadState('load').catch(() => {})
    }
  }
  await page.getByLabel(/Correo electrónico|Email/).fill(email)
  await page.getByRole('button', { name: /Enviarme un código|Send me a code/ }).click()
  const codeInput = page.getByLabel(/Código de 6 dígitos|6-digit code/)
  await codeInput.waitFor()
  await codeInput.fill(await codeFor(email))
  await page.getByRole('button', { name: /^(Ingresar|Sign in)$/ }).click()
  const skip = page.getByRole('button', { name: /Ahora no|Not now/ })
  await Promise.race([
    skip.waitFor({ timeout: 10_000 }).then(() => skip.click()),
    page.waitForURL((url) => !url.pathname.startsWith('/sign-in'), { timeout: 10_000 }),
  ])
  await page.waitForURL((url) => !url.pathname.startsWith('/sign-in'))
}

/** The messages `sink` received from its `since`-th on whose subject matches, decoded (LF line ends). */
export function sunkMail(sink: SmtpSink, since: number, subject: RegExp) {
  return sink.messages
    .slice(since)
    .map((message) => {
      const decoded = readMessage(message.raw)
      return {
        to: message.to,
        subject: decoded.subject,
        html: decoded.html,
        text: decoded.text.replace(/\r\n/g, '\n'),
      }
    })
    .filter((message) => subject.test(message.subject))
}

/** Waits (up to 10 s) until `recipients` different addresses have such a message; returns those there are. */
export async function waitForSunkMail(sink: SmtpSink, since: number, subject: RegExp, recipients: number) {
  for (let i = 0; i < 100; i++) {
    const mail = sunkMail(sink, since, subject)
    if (new Set(mail.flatMap((message) => message.to)).size >= recipients) return mail
    await Bun.sleep(100)
  }
  return sunkMail(sink, since, subject)
}

/** The newest sign-in code the SMTP sink received for `email` after its `since`-th message. */
async function sunkCode(sink: SmtpSink, email: string, since = 0): Promise<string> {
  for (let i = 0; i < 50; i++) {
    for (const message of sink.messages.slice(since).reverse()) {
      if (!message.to.includes(email)) continue
      const { subject, text } = readMessage(message.raw)
      const code = /c[oó]digo|code/i.test(subject) ? text.match(/\b(\d{6})\b/)?.[1] : undefined
      if (code) return code
    }
    await Bun.sleep(100)
  }
  throw new Error(`no code mailed to ${email}`)
}

/**
 * The real processes for a browser test: the web client built into web/dist, the functions process
 * and the realtime process on free 127.0.0.1 ports sharing one database and bus (PostgreSQL/Redis when
 * DATABASE_URL/REDIS_URL are set, else embedded), and Debian's Chromium driven by playwright-core.
 * Pages are opened at http://localhost:<port> (WebAuthn needs a domain, not an IP address).
 * `env` overrides the configuration (e.g. the production sign-in limits); with `PUBLIC_URL` set (a
 * proxy in front, e.g. nginx) pages are opened there instead. With `smtpSink`, mail goes through SMTP
 * to a local sink (`stack.sink`), sign-in codes included.
 */
export async function startStack(env: Record<string, string> = {}, options: { smtpSink?: boolean } = {}) {
  await buildWeb()
  const sink = options.smtpSink ? startSmtpSink() : null
  const functionsPort = freePort()
  const realtimePort = freePort()
  const origin = env.PUBLIC_URL ?? `http://localhost:${functionsPort}`
  const services = await createTestServices({
    HOST: '127.0.0.1',
    PUBLIC_URL: origin,
    REALTIME_PUBLIC_URL: `ws://localhost:${realtimePort}/ws`,
    // Every sign-in page load asks for passkey options; the test signs many people in from one address.
    RATE_LIMIT_AUTH_PER_IP: '10000',
    RATE_LIMIT_AUTH_PER_EMAIL: '100',
    ...(sink ? { SMTP_URL: sink.url } : {}),
    ...env,
  })
  const functions = await startFunctionsServer({ services, port: functionsPort })
  const realtime = await startRealtimeServer(
    {
      config: services.config,
      secretKey: services.secretKey,
      database: services.database,
      bus: services.bus,
      log: services.log,
      votes: services.votes,
    },
    realtimePort,
  )
  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  })
  await mkdir(SCREENSHOTS, { recursive: true })

  const mailedCode = (email: string) => (sink ? sunkCode(sink, email) : mailedCodeAt(origin, email))
  const signIn = (page: Page, email: string, next = '/') => {
    // Only a code mailed after this point will do: an earlier sign-in's code is spent.
    const mark = sink?.messages.length ?? 0
    return signInAt(origin, page, email, next, sink ? (to) => sunkCode(sink, to, mark) : mailedCode)
  }

  /** A new PH (a unique slug from `slug`) and its administrator's account, ready to sign in. */
  async function createPhWithAdmin(input: { name: string; slug: string; adminEmail: string }) {
    const organization = await createOrganization(services.db, {
      organization: { name: input.name, slug: `${input.slug}-${crypto.randomUUID().slice(0, 6)}` },
      actor: systemActor,
    })
    await createTestUser(services, {
      email: input.adminEmail,
      roles: [{ organizationId: organization.id, role: 'ph_admin' }],
    })
    return organization
  }

  async function newContext(options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext> {
    const context = await browser.newContext({ locale: 'es-PA', timezoneId: 'America/Panama', ...options })
    // Fail within the test's own time limit (Bun kills the browser when a test times out).
    context.setDefaultTimeout(10_000)
    // Script errors in the pages are test failures waiting to happen: print them.
    context.on('weberror', (error) => console.error(`page error: ${error.error().message}`))
    return context
  }

  const opened: BrowserContext[] = []
  /** A page of its own context at `viewport` (closed with the stack), signed in as `as.email` at `as.next` when given. */
  async function openPage(
    viewport: { width: number; height: number },
    as?: { email: string; next?: string },
  ) {
    const context = await newContext({ viewport })
    opened.push(context)
    const page = await context.newPage()
    if (as) await signIn(page, as.email, as.next)
    return page
  }

  return {
    origin,
    functionsPort,
    realtimePort,
    services,
    functions,
    realtime,
    browser,
    sink,
    newContext,
    signIn,
    mailedCode,
    createPhWithAdmin,
    openPage,
    async stop() {
      for (const context of opened) await context.close().catch(() => {})
      await browser.close().catch(() => {})
      await realtime.stop().catch(() => {})
      await functions.stop()
      await services.close()
      sink?.stop()
    },
  }
}

export type Stack = Awaited<ReturnType<typeof startStack>>

/**
 * The stack of a test file: `startStack(env, options)` before its tests (ahead of the hooks the file
 * registers after this call), stopped after them with the pages it opened. Its members exist once it
 * has started: use them in hooks and tests, not at the file's top level.
 */
export function stackForTests(...args: Parameters<typeof startStack>): Stack {
  let started: Stack | undefined
  beforeAll(async () => {
    started = await startStack(...args)
  }, 60_000)
  afterAll(() => started?.stop(), 30_000)
  return new Proxy({} as Stack, {
    get(_, key) {
      if (!started) throw new Error('the stack starts in beforeAll: use it in hooks and tests')
      return started[key as keyof Stack]
    },
  })
}

export type Api = (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>

/** Calls the API of PH `organizationId` at `origin` with `headers`; an answer other than 2xx throws with its body. */
export function apiAt(origin: string, organizationId: string, headers: Record<string, string>): Api {
  return async (method, path, body) => {
    const response = await fetch(`${origin}/api/organizations/${organizationId}${path}`, {
      method,
      headers: { ...headers, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${await response.text()}`)
    return response.json() as Promise<Record<string, unknown>>
  }
}

/**
 * A new PH whose roster is `units` (rows under the header `unidad;finca;coeficiente;propietario;email;
 * telefono;al_dia`), with an administrator (`adminEmail`, else a made-up address) and, with `staffEmail`,
 * a desk clerk; `api` calls the PH's API as the administrator.
 */
export async function createPhWithOwners(
  stack: Pick<Stack, 'origin' | 'services'>,
  units: string[],
  options: { adminEmail?: string; staffEmail?: string } = {},
) {
  const organizationId = (await createTestOrganization(stack.services.db)).id
  await importUnits(stack.services.db, {
    organizationId,
    csv: ['unidad;finca;coeficiente;propietario;email;telefono;al_dia', ...units].join('\n'),
    actor: systemActor,
  })
  const admin = await createTestUser(stack.services, {
    ...(options.adminEmail ? { email: options.adminEmail } : {}),
    roles: [{ organizationId, role: 'ph_admin' }],
  })
  if (options.staffEmail)
    await createTestUser(stack.services, {
      email: options.staffEmail,
      roles: [{ organizationId, role: 'checkin_staff' }],
    })
  return { organizationId, admin, api: apiAt(stack.origin, organizationId, admin.headers) }
}

/**
 * An assembly in progress through the API: created, with the `agenda` items, convened (the meeting is
 * today, outside the notice window, so convening records `reason`) and started.
 */
export async function assemblyInProgress(api: Api, agenda: string[], reason = 'Test meeting held today') {
  const assemblyId = (await api('POST', '/assemblies', assemblyBody())).id as string
  const assemblyPath = `/assemblies/${assemblyId}`
  for (const title of agenda) await api('POST', `${assemblyPath}/agenda`, { title })
  await api('POST', `${assemblyPath}/transition`, { to: 'convened', windowOverrideReason: reason })
  await api('POST', `${assemblyPath}/transition`, { to: 'in_progress' })
  return { assemblyId, assemblyPath }
}

/** Each unit's id and its first owner's person id, found as the desk finds them (by the unit's number). */
export async function ownersOf(api: Api, assemblyPath: string, numbers: string[]) {
  const found: Record<string, { unitId: string; personId: string }> = {}
  for (const number of numbers) {
    const { matches } = (await api('GET', `${assemblyPath}/attendance/search?q=${number}`)) as {
      matches: { unitId: string; number: string; owners: { personId: string }[] }[]
    }
    const match = matches.find((m) => m.number === number)
    if (!match) throw new Error(`the desk search finds no unit ${number}`)
    found[number] = { unitId: match.unitId, personId: match.owners[0]!.personId }
  }
  return found
}

/** Checks `personId` in at the desk, in person. */
export const checkIn = (api: Api, assemblyPath: string, personId: string) =>
  api('POST', `${assemblyPath}/attendance/check-in`, { personId, mode: 'in_person' })

/**
 * A PH in session: `createPhWithOwners` with `units`, then `assemblyInProgress` with `agenda`;
 * `owners` holds every unit's id and first owner, by unit number. Nobody is checked in yet.
 */
export async function roomInProgress(
  stack: Pick<Stack, 'origin' | 'services'>,
  room: { units: string[]; agenda: string[]; reason?: string; adminEmail?: string; staffEmail?: string },
) {
  const ph = await createPhWithOwners(stack, room.units, room)
  const assembly = await assemblyInProgress(ph.api, room.agenda, room.reason)
  const numbers = room.units.map((row) => row.split(';')[0]!)
  return { ...ph, ...assembly, owners: await ownersOf(ph.api, assembly.assemblyPath, numbers) }
}

export type Room = Awaited<ReturnType<typeof roomInProgress>>
