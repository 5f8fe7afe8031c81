import { afterAll, beforeAll } from 'bun:test'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { assemblyTopic } from '../../../core/assemblies/events.ts'
import { assemblyInput } from '../../../core/assemblies/testing.ts'
import {
  CHANGE_KINDS,
  type ChangeKind,
  kindVersion,
  membershipVersion,
  votingFactsVersion,
} from '../../../core/changes/versions.ts'
import { type SmtpSink, startSmtpSink } from '../../../core/mail/smtp-sink.ts'
import { importUnits } from '../../../core/ph/index.ts'
import { createTestOrganization, systemActor } from '../../../core/ph/testing.ts'
import { createTestServices, createTestUser, type TestUser } from '../../../core/services-testing.ts'
import { people } from '../../../db/schema/index.ts'
import { withPlatformScope } from '../../../db/tenant.ts'
import { createTestApp, jsonRequest } from '../../_lib/testing.ts'

/*
 * Fixtures for the PH-setup and assembly routes: a PH of its own per test file (or per test), its
 * admin and desk staff as signed-in users, and a watch of what changes announce to other processes.
 */

export type Services = Awaited<ReturnType<typeof createTestServices>>

export interface Reply {
  status: number
  headers: Headers
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field in the tests
  body: any
  text: string
}

export interface TestPh {
  organizationId: string
  admin: TestUser
  staff: TestUser
  /** `/api/organizations/<id><rest>` */
  path(rest: string): string
}

/** A PH with the five units of ROSTER_CSV. */
export interface RosterPh extends TestPh {
  /** The representative owner's person id by unit number. */
  owners: Record<string, string>
  /** Unit id by unit number. */
  unitIds: Record<string, string>
}

/** A user linked to a person of the PH (an owner or a proxy holder). */
export interface PersonUser extends TestUser {
  personId: string
}

/** Five units summing to 100 %, each with its own owner (unit 101 is behind on fees). */
export const ROSTER_CSV = [
  'unidad;finca;coeficiente;propietario;email;telefono;al_dia',
  '101;F-101;30;Ana Pérez;ana@example.com;6123-4567;no',
  '102;F-102;25;Bruno Díaz;bruno@example.com;;sí',
  '103;F-103;20;Carla Ruiz;carla@example.com;;sí',
  '104;F-104;15;Diego Soto;diego@example.com;;sí',
  '105;F-105;10;Elena Vega;elena@example.com;;sí',
].join('\n')

/** A valid mixed assembly whose first and second call have already passed; `changes` override fields. */
export function assemblyBody(changes: Record<string, unknown> = {}) {
  const input = assemblyInput()
  return {
    ...input,
    firstCallAt: input.firstCallAt.toISOString(),
    secondCallAt: input.secondCallAt?.toISOString() ?? null,
    ...changes,
  }
}

/** The first bytes of a PDF file, enough for its signature, and some content. */
export function pdfBytes(text = 'poder firmado'): Uint8Array<ArrayBuffer> {
  return new Uint8Array(new TextEncoder().encode(`%PDF-1.4\n% ${text}\n%%EOF\n`))
}

export async function createPhTestApp(env: Record<string, string> = {}) {
  // Uploaded documents go to a folder of the test's own, removed with the services.
  const dataDir = await mkdtemp(join(tmpdir(), 'assembly-test-'))
  const testServices = await createTestServices({ DATA_DIR: dataDir, ...env })
  const services = {
    ...testServices,
    close: async () => {
      await testServices.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
  const app = await createTestApp(services)

  /**
   * Watches what other processes would see of a change from now on: which kinds' versions moved, the
   * PH's voting facts version (the vote path's cache keys on it) and membership version (the auth
   * cache's), and a wake-up on the assembly's realtime topic.
   */
  async function watchChanges(organizationId: string, assemblyId?: string) {
    const bus = services.bus
    const versions = async () => ({
      facts: await votingFactsVersion(bus, organizationId),
      membership: await membershipVersion(bus, organizationId),
      kinds: await Promise.all(CHANGE_KINDS.map((kind) => kindVersion(bus, kind, organizationId))),
    })
    const before = await versions()
    let woken = 0
    const unsubscribe = assemblyId
      ? await bus.subscribe(assemblyTopic(assemblyId), () => {
          woken += 1
        })
      : null
    return {
      /** What changed since the watch began (waits briefly for the topic's message to arrive). */
      async seen(): Promise<{
        kinds: ChangeKind[]
        factsChanged: boolean
        membershipChanged: boolean
        topicWoken: boolean
      }> {
        for (let i = 0; i < 25 && unsubscribe && woken === 0; i++) await Bun.sleep(20)
        await unsubscribe?.()
        const after = await versions()
        return {
          kinds: CHANGE_KINDS.filter((_, i) => after.kinds[i] !== before.kinds[i]),
          factsChanged: after.facts !== before.facts,
          membershipChanged: after.membership !== before.membership,
          topicWoken: woken > 0,
        }
      },
    }
  }

  async function reply(response: Response): Promise<Reply> {
    const text = await response.text()
    const json = response.headers.get('content-type')?.startsWith('application/json')
    return { status: response.status, headers: response.headers, body: json ? JSON.parse(text) : text, text }
  }

  /** A JSON request (or none) as `user`. */
  async function send(method: string, path: string, body?: unknown, user?: TestUser | null): Promise<Reply> {
    return reply(await app.handle(jsonRequest(method, path, body, { ...user?.headers })))
  }

  /** A request with a raw body of the given content type. */
  async function sendRaw(
    method: string,
    path: string,
    body: BodyInit | null,
    headers: Record<string, string>,
    user?: TestUser | null,
  ): Promise<Reply> {
    const request = new Request(`http://localhost${path}`, {
      method,
      body,
      headers: { ...headers, ...user?.headers },
    })
    return reply(await app.handle(request))
  }

  /** A new PH with an admin and a check-in staff user; its roster imported from `csv` when given. */
  async function createPh(csv?: string): Promise<TestPh> {
    const organizationId = (await createTestOrganization(services.db)).id
    if (csv) await importUnits(services.db, { organizationId, csv, actor: systemActor })
    const admin = await createTestUser(services, { roles: [{ organizationId, role: 'ph_admin' }] })
    const staff = await createTestUser(services, { roles: [{ organizationId, role: 'checkin_staff' }] })
    return { organizationId, admin, staff, path: (rest) => `/api/organizations/${organizationId}${rest}` }
  }

  /** Makes a person of the PH a signed-in user (as signing in with their email would). */
  async function signInAs(personId: string): Promise<PersonUser> {
    const user = await createTestUser(services)
    await withPlatformScope(services.db, (tx) =>
      tx.update(people).set({ userId: user.userId }).where(eq(people.id, personId)),
    )
    return { ...user, personId }
  }

  /** The representative owner's person id of each unit, by unit number. */
  async function ownersByUnit(ph: TestPh): Promise<Record<string, string>> {
    const units = await send('GET', ph.path('/units?limit=1000'), undefined, ph.admin)
    const owners: Record<string, string> = {}
    for (const unit of units.body.units as { id: string; number: string }[]) {
      const res = await send('GET', ph.path(`/units/${unit.id}/owners`), undefined, ph.admin)
      owners[unit.number] = res.body.owners[0]?.personId
    }
    return owners
  }

  /** An assembly created through the API and moved to `status` (default convened). */
  async function createAssembly(
    ph: TestPh,
    options: { changes?: Record<string, unknown>; status?: 'draft' | 'convened' | 'in_progress' } = {},
  ): Promise<string> {
    const created = await send('POST', ph.path('/assemblies'), assemblyBody(options.changes), ph.admin)
    if (created.status !== 200)
      throw new Error(`fixture: create assembly → ${created.status} ${created.text}`)
    const assemblyId: string = created.body.id
    const steps = { draft: [], convened: ['convened'], in_progress: ['convened', 'in_progress'] }
    for (const to of steps[options.status ?? 'convened']) {
      // A notice needs an agenda; the fixture's call times are in the past, outside the notice window.
      if (to === 'convened')
        await send(
          'POST',
          ph.path(`/assemblies/${assemblyId}/agenda`),
          { title: 'Informe de la administración' },
          ph.admin,
        )
      const body =
        to === 'convened' ? { to, windowOverrideReason: 'Fixture: call times in the past' } : { to }
      const moved = await send('POST', ph.path(`/assemblies/${assemblyId}/transition`), body, ph.admin)
      if (moved.status !== 200)
        throw new Error(`fixture: transition to ${to} → ${moved.status} ${moved.text}`)
    }
    return assemblyId
  }

  /** A PH with the roster of ROSTER_CSV, its owners and unit ids at hand. */
  async function createRosterPh(): Promise<RosterPh> {
    const ph = await createPh(ROSTER_CSV)
    return { ...ph, owners: await ownersByUnit(ph), unitIds: await unitIds(ph) }
  }

  /** A GET whose body is read as bytes (downloads). */
  function download(path: string, user: TestUser): Promise<Response> {
    return app.handle(new Request(`http://localhost${path}`, { headers: user.headers }))
  }

  /** Unit ids by number. */
  async function unitIds(ph: TestPh): Promise<Record<string, string>> {
    const units = await send('GET', ph.path('/units?limit=1000'), undefined, ph.admin)
    return Object.fromEntries(
      (units.body.units as { id: string; number: string }[]).map((unit) => [unit.number, unit.id]),
    )
  }

  return {
    services,
    app,
    watchChanges,
    send,
    sendRaw,
    download,
    createPh,
    createRosterPh,
    signInAs,
    ownersByUnit,
    unitIds,
    createAssembly,
  }
}

export type PhTestApp = Awaited<ReturnType<typeof createPhTestApp>>

/**
 * For a test file about mail: before its tests, a test app whose mail goes through a real SMTP
 * conversation to a sink, and a PH whose roster is `roster` (imported by its administrator); after
 * them, both closed. The fields are set once the file's `beforeAll` hooks have run.
 */
export function phWithMailSink(roster = ROSTER_CSV) {
  const fixture = {} as { sink: SmtpSink; t: PhTestApp; ph: TestPh }
  beforeAll(async () => {
    fixture.sink = startSmtpSink()
    fixture.t = await createPhTestApp({ SMTP_URL: fixture.sink.url })
    fixture.ph = await fixture.t.createPh()
    await fixture.t.sendRaw(
      'POST',
      fixture.ph.path('/units/import?mode=replace'),
      roster,
      { 'content-type': 'text/csv' },
      fixture.ph.admin,
    )
  }, 30_000)
  afterAll(async () => {
    await fixture.t?.services.close()
    fixture.t?.services.mailer.close()
    fixture.sink?.stop()
  })
  return fixture
}

/** A stand-in for an object made later: every read goes to `current()`, which must exist by then. */
export function forwardTo<T extends object>(current: () => T | undefined): T {
  const target = () => {
    const value = current()
    if (!value) throw new Error('made in beforeAll: use it in hooks and tests')
    return value
  }
  return new Proxy({} as T, {
    get: (_, key) => Reflect.get(target(), key),
    has: (_, key) => Reflect.has(target(), key),
    ownKeys: () => Reflect.ownKeys(target()),
    getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(target(), key),
  })
}

/**
 * For a test file: `createPhTestApp(env)` and a PH made by `make` (`createPh` by default) before its
 * tests (ahead of the hooks the file registers after this call), closed after them. `t` and `ph`
 * stand for them once made: use them in hooks and tests, not at the file's top level.
 */
export function phForTests<P extends TestPh = TestPh>(
  env: Record<string, string> = {},
  make: (app: PhTestApp) => Promise<P> = (app) => app.createPh() as Promise<P>,
) {
  let app: PhTestApp | undefined
  let made: P | undefined
  beforeAll(async () => {
    app = await createPhTestApp(env)
    made = await make(app)
  })
  afterAll(() => app?.services.close())
  return { t: forwardTo(() => app), ph: forwardTo(() => made) }
}
