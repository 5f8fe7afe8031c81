import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { sql } from 'drizzle-orm'
import { createTestServices, createTestUser, type TestUser } from '../../core/services-testing.ts'
import { rowsOf } from '../../db/client.ts'
import { organizations } from '../../db/schema/index.ts'
import { seedDemo } from '../../db/seed.ts'
import { withPlatformScope } from '../../db/tenant.ts'
import { type LoadedRoute, loadRoutes } from '../_router.ts'
import { assemblyBody, ROSTER_CSV } from '../organizations/[organizationId]/_testing.ts'
import { createTestApp, functionsDir } from './testing.ts'

/*
 * Tenant isolation with VALID requests. A probe with an empty body stops at validation (422) before
 * any handler looks at the other PH's rows, so "changes nothing there" would be trivially true. Here
 * every state-changing route gets a body that passes validation, built from the ids it should reach,
 * and PH A's administrator aims it at PH B three ways:
 *   direct  B's PH id in the path                          → 404 (an unknown PH)
 *   nested  A's PH id, B's resource ids in the path        → 404 or 403 (never 422: the handler ran)
 *   mixed   A's PH and assembly, B's ids inside the body   → refused (4xx)
 * and afterwards every row of PH B is exactly as before.
 */

/** Ids of one PH's rows by the names routes use; `agendaOrder` lists the assembly's items, comma-separated. */
type Ids = Record<
  'assemblyId' | 'motionId' | 'unitId' | 'personId' | 'proxyId' | 'itemId' | 'membershipId' | 'agendaOrder',
  string
>
type Body = { json: unknown } | { csv: string } | { form: () => FormData } | null

const json = (value: unknown): Body => ({ json: value })

// Built once: two bodies built a millisecond apart would differ in their call times, and the mixed-ids
// probe below compares bodies to tell whether one carries ids.
const ASSEMBLY_BODY = assemblyBody()

/** A body that passes validation for each state-changing tenant route (null: the route takes none). */
const VALID_BODIES: Record<string, (ids: Ids) => Body> = {
  'POST /organizations/:organizationId/assemblies': () => json(ASSEMBLY_BODY),
  'PATCH /organizations/:organizationId/assemblies/:assemblyId': () => json({ title: 'Asamblea cambiada' }),
  'POST /organizations/:organizationId/assemblies/:assemblyId/agenda': () => json({ title: 'Punto nuevo' }),
  'PUT /organizations/:organizationId/assemblies/:assemblyId/agenda-cursor': (ids) =>
    json({ itemId: ids.agendaOrder.split(',')[0] }),
  'DELETE /organizations/:organizationId/assemblies/:assemblyId/agenda/:itemId': () => null,
  'PATCH /organizations/:organizationId/assemblies/:assemblyId/agenda/:itemId': () =>
    json({ title: 'Punto cambiado' }),
  'PUT /organizations/:organizationId/assemblies/:assemblyId/agenda/order': (ids) =>
    json({ itemIds: ids.agendaOrder.split(',').reverse() }),
  'POST /organizations/:organizationId/assemblies/:assemblyId/attendance/check-in': (ids) =>
    json({ personId: ids.personId, mode: 'in_person' }),
  'POST /organizations/:organizationId/assemblies/:assemblyId/attendance/check-out': (ids) =>
    json({ unitIds: [ids.unitId] }),
  'POST /organizations/:organizationId/assemblies/:assemblyId/attendance/self-check-out': () => null,
  'POST /organizations/:organizationId/assemblies/:assemblyId/speakers': () => null,
  'POST /organizations/:organizationId/assemblies/:assemblyId/speakers/withdraw': () => null,
  'PATCH /organizations/:organizationId/assemblies/:assemblyId/speakers/:requestId': () =>
    json({ action: 'floor' }),
  'POST /organizations/:organizationId/assemblies/:assemblyId/attendance/self-check-in': () =>
    json({ mode: 'remote' }),
  'POST /organizations/:organizationId/assemblies/:assemblyId/board/remind': () => null,
  'POST /organizations/:organizationId/assemblies/:assemblyId/acta/review': () => null,
  'POST /organizations/:organizationId/assemblies/:assemblyId/acta/sign-off': () =>
    json({ role: 'president', signerName: 'Ana Pérez', hash: 'a'.repeat(64) }),
  'PUT /organizations/:organizationId/assemblies/:assemblyId/acta/summaries/:itemId': () =>
    json({ notes: 'Se discutió el presupuesto.' }),
  'POST /organizations/:organizationId/assemblies/:assemblyId/communications/acta': () => null,
  'POST /organizations/:organizationId/assemblies/:assemblyId/communications/summary': () => null,
  'POST /organizations/:organizationId/assemblies/:assemblyId/communications/hand-delivery': (ids) =>
    json({ communicationId: crypto.randomUUID(), unitId: ids.unitId, note: 'En la conserjería' }),
  'POST /organizations/:organizationId/assemblies/:assemblyId/motions': () =>
    json({ title: 'Moción nueva', requiresQuorum: false }),
  'POST /organizations/:organizationId/assemblies/:assemblyId/proxies': (ids) =>
    json({ grantorUnitId: ids.unitId, holderPersonId: ids.personId }),
  'POST /organizations/:organizationId/assemblies/:assemblyId/proxies/:proxyId/revoke': () =>
    json({ reason: 'Prueba' }),
  'POST /organizations/:organizationId/assemblies/:assemblyId/proxies/:proxyId/decision': () =>
    json({ decision: 'approve' }),
  'POST /organizations/:organizationId/assemblies/:assemblyId/documents': () => ({
    form: () => {
      const form = new FormData()
      form.set('title', 'Presupuesto')
      form.set('file', new File([new TextEncoder().encode('%PDF-1.4\n%%EOF\n')], 'p.pdf'))
      return form
    },
  }),
  'DELETE /organizations/:organizationId/assemblies/:assemblyId/documents/:documentId': () => null,
  'POST /organizations/:organizationId/assemblies/:assemblyId/my-proxies': (ids) =>
    json({ grantorUnitId: ids.unitId, holder: { email: 'apoderado@example.com', fullName: 'Apoderado' } }),
  'POST /organizations/:organizationId/assemblies/:assemblyId/my-proxies/:proxyId/revoke': () => null,
  'POST /organizations/:organizationId/assemblies/:assemblyId/screen-link': () => json({ hours: 2 }),
  'POST /organizations/:organizationId/assemblies/:assemblyId/second-call': () => json({ note: 'Segunda' }),
  'POST /organizations/:organizationId/assemblies/:assemblyId/transition': () => json({ to: 'cancelled' }),
  'PATCH /organizations/:organizationId': () => json({ name: 'PH cambiada' }),
  'POST /organizations/:organizationId/members': () =>
    json({ email: 'nuevo@example.com', role: 'checkin_staff' }),
  'DELETE /organizations/:organizationId/members/:membershipId': () => null,
  'DELETE /organizations/:organizationId/motions/:motionId': () => null,
  'PATCH /organizations/:organizationId/motions/:motionId': () => json({ title: 'Moción cambiada' }),
  'POST /organizations/:organizationId/motions/:motionId/close': () => null,
  'POST /organizations/:organizationId/motions/:motionId/open': () => null,
  'POST /organizations/:organizationId/motions/:motionId/votes': (ids) =>
    json({ ballots: [{ unitId: ids.unitId, optionKeys: ['yes'] }] }),
  'POST /organizations/:organizationId/motions/:motionId/desk-ballots': (ids) =>
    json({
      ballots: [{ unitId: ids.unitId, optionKeys: ['yes'] }],
      kind: 'paper',
      reason: 'Papeleta en mesa',
    }),
  'POST /organizations/:organizationId/assemblies/:assemblyId/attendance/sign-in-code': (ids) =>
    json({ personId: ids.personId }),
  'POST /organizations/:organizationId/invitations': (ids) => json({ personIds: [ids.personId] }),
  'POST /organizations/:organizationId/units/:unitId/up-to-date': () =>
    json({ upToDate: true, reason: 'Recibo mostrado en la mesa' }),
  'POST /organizations/:organizationId/people': () => json({ fullName: 'Persona Nueva' }),
  'DELETE /organizations/:organizationId/people/:personId': () => null,
  'PATCH /organizations/:organizationId/people/:personId': () => json({ fullName: 'Persona Cambiada' }),
  'POST /organizations/:organizationId/units': () => json({ number: 'Z-999', coefficient: '0.5' }),
  'DELETE /organizations/:organizationId/units/:unitId': () => null,
  'PATCH /organizations/:organizationId/units/:unitId': () => json({ upToDate: false }),
  'PUT /organizations/:organizationId/units/:unitId/owners': (ids) =>
    json({ owners: [{ personId: ids.personId, isRepresentative: true }] }),
  'POST /organizations/:organizationId/units/import': () => ({ csv: ROSTER_CSV }),
  'POST /organizations/:organizationId/units/up-to-date': (ids) =>
    json({ units: [ids.unitId], upToDate: false }),
}

let services: Awaited<ReturnType<typeof createTestServices>>
let app: Awaited<ReturnType<typeof createTestApp>>
let stateChanging: LoadedRoute[]
let orgA: string
let orgB: string
let orgC: string
let adminA: TestUser
let adminC: TestUser

const key = (route: LoadedRoute) => `${route.method} ${route.path}`
const pathWith = (route: LoadedRoute, values: Record<string, string>) =>
  `/api${route.path.replace(/:([A-Za-z_]+)/g, (_, name: string) => values[name] ?? crypto.randomUUID())}`

function request(route: LoadedRoute, path: string, body: Body, user = adminA): Request {
  const headers: Record<string, string> = { ...user.headers }
  let payload: string | FormData | undefined
  if (body && 'form' in body) {
    payload = body.form()
  } else if (body && 'csv' in body) {
    headers['content-type'] = 'text/csv'
    payload = body.csv
  } else if (body) {
    headers['content-type'] = 'application/json'
    payload = JSON.stringify(body.json)
  }
  return new Request(`http://localhost${path}`, { method: route.method, headers, body: payload })
}

/** Every row of a PH in every table that has an organization_id, hashed per table. */
async function fingerprintOf(organizationId: string): Promise<Record<string, string>> {
  return withPlatformScope(services.db, async (tx) => {
    const tables = rowsOf<{ name: string }>(
      await tx.execute(sql`select table_name as name from information_schema.columns
        where table_schema = 'public' and column_name = 'organization_id' order by table_name`),
    ).map((row) => row.name)
    const out: Record<string, string> = {}
    for (const table of tables) {
      const [row] = rowsOf<{ h: string }>(
        await tx.execute(
          sql`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from ${sql.identifier(table)} t where organization_id = ${organizationId}`,
        ),
      )
      out[table] = row!.h
    }
    // The PH's own row too (PATCH /organizations/:id).
    const [own] = rowsOf<{ h: string }>(
      await tx.execute(sql`select md5(t::text) as h from organizations t where id = ${organizationId}`),
    )
    out.organizations = own!.h
    return out
  })
}

/** One id per kind of row of a PH, by the names routes use. */
async function idsOf(organizationId: string): Promise<Ids> {
  return withPlatformScope(services.db, async (tx) => {
    const one = async (table: string) => {
      const [row] = rowsOf<{ id: string }>(
        await tx.execute(
          sql`select id::text as id from ${sql.identifier(table)} where organization_id = ${organizationId} order by id limit 1`,
        ),
      )
      if (!row) throw new Error(`fixture: PH ${organizationId} has no row in ${table}`)
      return row.id
    }
    // The seeded assembly (the oldest), not one a probe created.
    const [assembly] = rowsOf<{ id: string }>(
      await tx.execute(
        sql`select id::text as id from assemblies where organization_id = ${organizationId} order by created_at, id limit 1`,
      ),
    )
    const assemblyId = assembly!.id
    const items = rowsOf<{ id: string }>(
      await tx.execute(
        sql`select id::text as id from agenda_items where assembly_id = ${assemblyId} order by position`,
      ),
    )
    return {
      agendaOrder: items.map((item) => item.id).join(','),
      assemblyId,
      motionId: await one('motions'),
      unitId: await one('units'),
      personId: await one('people'),
      proxyId: await one('proxies'),
      itemId: items[0]!.id,
      membershipId: await one('memberships'),
    }
  })
}

beforeAll(async () => {
  services = await createTestServices()
  app = await createTestApp(services)
  const routes = await loadRoutes(functionsDir)
  stateChanging = routes.filter((route) => route.path.includes(':organizationId') && route.method !== 'GET')
  await seedDemo(services.db, { slug: 'ph-a', name: 'PH A' })
  await seedDemo(services.db, {
    slug: 'ph-b',
    name: 'PH B',
    onlyIntoEmpty: false,
    adminEmail: 'admin@ph-b.example',
    deskEmail: 'mesa@ph-b.example',
  })
  const all = await services.db.select().from(organizations)
  orgA = all.find((org) => org.slug === 'ph-a')!.id
  orgB = all.find((org) => org.slug === 'ph-b')!.id
  adminA = await createTestUser(services, { roles: [{ organizationId: orgA, role: 'ph_admin' }] })
  // PH C only proves the bodies valid: its own admin sends each of them to its own rows.
  await seedDemo(services.db, {
    slug: 'ph-c',
    name: 'PH C',
    onlyIntoEmpty: false,
    adminEmail: 'admin@ph-c.example',
    deskEmail: 'mesa@ph-c.example',
  })
  orgC = (await services.db.select().from(organizations)).find((org) => org.slug === 'ph-c')!.id
  adminC = await createTestUser(services, { roles: [{ organizationId: orgC, role: 'ph_admin' }] })
}, 60_000)
afterAll(() => services.close())

describe('cross-PH probes with valid bodies', () => {
  it('has a valid body for every state-changing route of a PH, and no entry for a route that is gone', () => {
    const routeKeys = stateChanging.map(key)
    expect(routeKeys.filter((name) => !(name in VALID_BODIES))).toEqual([])
    expect(Object.keys(VALID_BODIES).filter((name) => !routeKeys.includes(name))).toEqual([])
  })

  it('uses bodies that pass validation: sent by a PH to its own rows, none is refused as malformed', async () => {
    const malformed: string[] = []
    for (const route of stateChanging) {
      // Earlier requests change PH C (an agenda item deleted, one added): read its ids again.
      const ids = await idsOf(orgC)
      const body = VALID_BODIES[key(route)]!(ids)
      if (!body) continue
      const res = await app.handle(
        request(route, pathWith(route, { ...ids, organizationId: orgC }), body, adminC),
      )
      const text = await res.text()
      if (res.status === 400 || text.includes('validation_failed'))
        malformed.push(`${key(route)} → ${res.status} ${text}`)
    }
    expect(malformed).toEqual([])
  }, 120_000)

  it("gives PH A's admin nothing of PH B through any state-changing route, and changes nothing there", async () => {
    const before = await fingerprintOf(orgB)
    const idsA = await idsOf(orgA)
    const idsB = await idsOf(orgB)
    const leaks: string[] = []
    for (const route of stateChanging) {
      const body = VALID_BODIES[key(route)]!
      const direct = await app.handle(
        request(route, pathWith(route, { ...idsB, organizationId: orgB }), body(idsB)),
      )
      if (direct.status !== 404) leaks.push(`direct ${key(route)} → ${direct.status}`)
      if (/:(?!organizationId)/.test(route.path)) {
        const nested = await app.handle(
          request(route, pathWith(route, { ...idsB, organizationId: orgA }), body(idsB)),
        )
        if (nested.status !== 404 && nested.status !== 403) {
          leaks.push(`nested ${key(route)} → ${nested.status} ${await nested.text()}`)
        }
      }
      // A's own PH and assembly in the path, B's ids in the body (only where the body carries ids).
      const mixedBody = body(idsB)
      if (mixedBody && JSON.stringify(mixedBody) !== JSON.stringify(body(idsA))) {
        const path = pathWith(route, { ...idsA, organizationId: orgA })
        const mixed = await app.handle(request(route, path, mixedBody))
        if (mixed.status < 400 || mixed.status >= 500) {
          leaks.push(`mixed ${key(route)} → ${mixed.status} ${await mixed.text()}`)
        }
      }
    }
    expect(leaks).toEqual([])
    expect(await fingerprintOf(orgB)).toEqual(before)
  }, 120_000)
})
