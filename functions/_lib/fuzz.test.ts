import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { organizations } from '../../db/schema/index.ts'
import { DEMO_SLUG, seedDemo } from '../../db/seed.ts'
import { type LoadedRoute, loadRoutes } from '../_router.ts'
import { createTestApp, createTestServices, createTestUser, functionsDir } from './testing.ts'

// Malformed, oversized, wrong-typed and unexpected input to every route, as a signed-in administrator
// so requests get past authentication: never a 5xx, never a stack trace, always the JSON error shape.
const LIMIT = 4096
let services: Awaited<ReturnType<typeof createTestServices>>
let app: Awaited<ReturnType<typeof createTestApp>>
let routes: LoadedRoute[]
let organizationId: string

beforeAll(async () => {
  services = await createTestServices({ BODY_LIMIT_BYTES: String(LIMIT), RATE_LIMIT_AUTH_PER_IP: '100000' })
  app = await createTestApp(services)
  routes = await loadRoutes(functionsDir)
  await seedDemo(services.db)
  const [org] = await services.db.select().from(organizations).where(eq(organizations.slug, DEMO_SLUG))
  organizationId = org!.id
})
afterAll(() => services.close())

const deep = (n: number): unknown => (n === 0 ? 'x' : { a: deep(n - 1) })
const bodies: [string, string][] = [
  ['malformed JSON', '{"a": '],
  ['JSON null', 'null'],
  ['a bare number', '42'],
  ['a bare string', '"hello"'],
  ['an array', '[1, 2, 3]'],
  ['an empty object', '{}'],
  ['unexpected fields', JSON.stringify({ zzz: 1, __proto__: { admin: true }, constructor: 'x' })],
  [
    'wrong types everywhere',
    JSON.stringify({ email: 42, name: [], code: {}, id: true, units: 'all', limit: -1 }),
  ],
  ['control characters', JSON.stringify({ email: '\u0000\u0007@x', name: '\ud800' })],
  ['deep nesting', JSON.stringify(deep(200))],
  ['oversized', JSON.stringify({ name: 'x'.repeat(LIMIT * 2) })],
  ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString('latin1')],
]
const queries = [
  '?limit=-5',
  '?limit=1e309',
  '?after=%00%ff',
  '?limit[]=1&limit[]=2',
  `?x=${'y'.repeat(3000)}`,
]

function pathOf(route: LoadedRoute, mangle: boolean): string {
  const filled = route.path.replace(/:([A-Za-z_]+)/g, (_, name: string) => {
    if (mangle) return encodeURIComponent("' or 1=1 --")
    return name === 'organizationId' ? organizationId : crypto.randomUUID()
  })
  return `/api${filled.replace('*', 'x')}`
}

function problemsOf(label: string, status: number, text: string): string[] {
  const problems: string[] = []
  if (status >= 500) problems.push(`${label} → ${status}`)
  if (/\n\s+at\s|node_modules|\.ts:\d+/.test(text)) problems.push(`${label} leaked a stack trace`)
  if (status >= 400) {
    try {
      const body = JSON.parse(text)
      if (typeof body?.error?.code !== 'string' || typeof body?.error?.message !== 'string') {
        problems.push(`${label} → ${status} without the error shape: ${text.slice(0, 120)}`)
      }
    } catch {
      problems.push(`${label} → ${status} not JSON: ${text.slice(0, 120)}`)
    }
  }
  return problems
}

describe('fuzzing every route', () => {
  it('answers hostile input with clear 4xx errors only', async () => {
    const problems: string[] = []
    const statuses = new Map<number, number>()
    for (const route of routes) {
      // A fresh session per route: some routes end the session they are called with.
      const user = await createTestUser(services, {
        platformAdmin: true,
        roles: [{ organizationId, role: 'ph_admin' }],
      })
      const headers = { ...user.headers, 'content-type': 'application/json' }
      const send = async (label: string, path: string, body?: string) => {
        const response = await app.handle(
          new Request(`http://localhost${path}`, { method: route.method, headers, body }),
        )
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
        problems.push(
          ...problemsOf(`${route.method} ${route.path} ${label}`, response.status, await response.text()),
        )
      }
      await send('mangled params', pathOf(route, true), route.method === 'GET' ? undefined : '{}')
      for (const query of queries)
        await send(`query ${query.slice(0, 20)}`, `${pathOf(route, false)}${query}`)
      if (route.method === 'GET' || route.method === 'DELETE') continue
      for (const [label, body] of bodies) await send(label, pathOf(route, false), body)
    }
    expect(problems).toEqual([])
    // The input reached validation and handlers, not only the authentication wall.
    const refusedAtTheDoor = (statuses.get(401) ?? 0) + (statuses.get(403) ?? 0)
    const total = [...statuses.values()].reduce((a, b) => a + b, 0)
    expect(refusedAtTheDoor / total).toBeLessThan(0.2)
    console.log('fuzz statuses', Object.fromEntries(statuses))
  }, 120_000)
})
