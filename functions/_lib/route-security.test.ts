import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { sql } from 'drizzle-orm'
import { createTestServices, createTestUser, type TestUser } from '../../core/services-testing.ts'
import { organizations } from '../../db/schema/index.ts'
import { seedDemo } from '../../db/seed.ts'
import { withPlatformScope } from '../../db/tenant.ts'
import { type LoadedRoute, loadRoutes } from '../_router.ts'
import { createTestApp, functionsDir, jsonRequest } from './testing.ts'

/** Routes anyone may call. Every other route must refuse an anonymous request. */
export const PUBLIC_ROUTES = new Set([
  'GET /health',
  'GET /ready',
  'GET /dev/mailbox',
  // Answers a signed-out browser with { user: null } (no error on every page); no data without a session.
  'GET /auth/session',
  'POST /auth/otp/request',
  'POST /auth/otp/verify',
  'POST /auth/passkeys/authentication-options',
  'POST /auth/passkeys/authenticate',
  // A one-time code from the check-in desk is the credential itself.
  'POST /auth/desk-code',
  'GET /public/motions/:motionId/receipts',
  'GET /public/motions/:motionId/receipts/:code',
])

let services: Awaited<ReturnType<typeof createTestServices>>
let app: Awaited<ReturnType<typeof createTestApp>>
let routes: LoadedRoute[]
let orgA: string
let orgB: string
let adminA: TestUser

const key = (route: LoadedRoute) => `${route.method} ${route.path}`
const pathWith = (route: LoadedRoute, values: Record<string, string>) =>
  `/api${route.path.replace(/:([A-Za-z_]+)/g, (_, name: string) => values[name] ?? crypto.randomUUID()).replace('*', 'x')}`

/** Every row of PH B, hashed: proves requests made as PH A's admin changed nothing there. */
async function fingerprintOf(organizationId: string): Promise<string> {
  const tables = [
    'units',
    'people',
    'ownerships',
    'assemblies',
    'agenda_items',
    'proxies',
    'attendance',
    'motions',
    'votes',
  ]
  return withPlatformScope(services.db, async (tx) => {
    const parts: string[] = []
    for (const table of tables) {
      const rows = await tx.execute(
        sql`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as h from ${sql.identifier(table)} t where organization_id = ${organizationId}`,
      )
      parts.push(JSON.stringify(rows))
    }
    return parts.join(';')
  })
}

beforeAll(async () => {
  services = await createTestServices()
  app = await createTestApp(services)
  routes = await loadRoutes(functionsDir)
  await seedDemo(services.db, { slug: 'ph-a', name: 'PH A' })
  await seedDemo(services.db, { slug: 'ph-b', name: 'PH B', onlyIntoEmpty: false })
  const all = await services.db.select().from(organizations)
  orgA = all.find((org) => org.slug === 'ph-a')!.id
  orgB = all.find((org) => org.slug === 'ph-b')!.id
  adminA = await createTestUser(services, { roles: [{ organizationId: orgA, role: 'ph_admin' }] })
})
afterAll(() => services.close())

describe('route security', () => {
  it('lists only public routes that exist', () => {
    const existing = new Set(routes.map(key))
    expect([...PUBLIC_ROUTES].filter((route) => !existing.has(route))).toEqual([])
  })

  it('refuses anonymous requests on every non-public route', async () => {
    const failures: string[] = []
    for (const route of routes.filter((r) => !PUBLIC_ROUTES.has(key(r)))) {
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {}
      const response = await app.handle(jsonRequest(route.method, pathWith(route, {}), body))
      if (response.status !== 401) failures.push(`${key(route)} → ${response.status}`)
    }
    expect(failures).toEqual([])
  })
})

describe('tenant isolation', () => {
  /** Ids of PH B's rows, by the parameter names routes use. */
  async function idsOfB(): Promise<Record<string, string>> {
    return withPlatformScope(services.db, async (tx) => {
      const one = async (table: string) => {
        const rows = (await tx.execute(
          sql`select id::text as id from ${sql.identifier(table)} where organization_id = ${orgB} limit 1`,
        )) as unknown
        const list = Array.isArray(rows) ? rows : (rows as { rows: { id: string }[] }).rows
        return (list[0] as { id: string } | undefined)?.id ?? crypto.randomUUID()
      }
      return {
        assemblyId: await one('assemblies'),
        motionId: await one('motions'),
        unitId: await one('units'),
        personId: await one('people'),
        proxyId: await one('proxies'),
        agendaItemId: await one('agenda_items'),
        itemId: await one('agenda_items'),
      }
    })
  }

  it('gives a PH admin of A nothing of B through any route, and changes nothing there', async () => {
    const before = await fingerprintOf(orgB)
    const ids = await idsOfB()
    const leaks: string[] = []
    const tenantRoutes = routes.filter((route) => route.path.includes(':organizationId'))
    expect(tenantRoutes.length).toBeGreaterThan(0)
    for (const route of tenantRoutes) {
      const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {}
      // B's PH id with A's credentials: must look like an unknown PH.
      const direct = await app.handle(
        jsonRequest(route.method, pathWith(route, { ...ids, organizationId: orgB }), body, adminA.headers),
      )
      if (direct.status !== 404) leaks.push(`${key(route)} with PH B → ${direct.status}`)
      // A's PH id with B's resource ids: the resource must not be found (or the request refused).
      if (/:(?!organizationId)/.test(route.path)) {
        const nested = await app.handle(
          jsonRequest(route.method, pathWith(route, { ...ids, organizationId: orgA }), body, adminA.headers),
        )
        if (nested.status < 400) leaks.push(`${key(route)} with B's ids under A → ${nested.status}`)
      }
    }
    expect(leaks).toEqual([])
    expect(await fingerprintOf(orgB)).toBe(before)
  })
})
