import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import type { PgTable } from 'drizzle-orm/pg-core'
import { createTestServices, createTestUser } from '../../core/services-testing.ts'
import {
  agendaItems,
  assemblies,
  memberships,
  motions,
  organizations,
  people,
  proxies,
  units,
} from '../../db/schema/index.ts'
import { DEMO_SLUG, seedDemo } from '../../db/seed.ts'
import { withPlatformScope } from '../../db/tenant.ts'
import { type LoadedRoute, loadRoutes } from '../_router.ts'
import { createApp } from './app.ts'
import { createTestApp, functionsDir } from './testing.ts'

// Malformed, oversized, wrong-typed and unexpected input to every route, as a signed-in administrator
// so requests get past authentication: never a 5xx, never a stack trace, always the JSON error shape.
const LIMIT = 4096
let services: Awaited<ReturnType<typeof createTestServices>>
let app: Awaited<ReturnType<typeof createTestApp>>
let routes: LoadedRoute[]
let organizationId: string
/** Real ids of the demo PH, by route parameter name. */
const ownIds: Record<string, string> = {}

beforeAll(async () => {
  services = await createTestServices({ BODY_LIMIT_BYTES: String(LIMIT), RATE_LIMIT_AUTH_PER_IP: '100000' })
  app = await createTestApp(services)
  routes = await loadRoutes(functionsDir)
  await seedDemo(services.db)
  const [org] = await services.db.select().from(organizations).where(eq(organizations.slug, DEMO_SLUG))
  organizationId = org!.id
  const tables: [string, PgTable][] = [
    ['assemblyId', assemblies],
    ['motionId', motions],
    ['unitId', units],
    ['personId', people],
    ['proxyId', proxies],
    ['itemId', agendaItems],
    ['membershipId', memberships],
  ]
  for (const [name, table] of tables) {
    const [row] = (await withPlatformScope(services.db, (tx) =>
      tx
        .select()
        .from(table)
        .where(eq((table as unknown as { organizationId: never }).organizationId, organizationId))
        .limit(1),
    )) as { id: string }[]
    if (row) ownIds[name] = row.id
  }
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

function pathOf(route: LoadedRoute, mangle: boolean, own = false): string {
  const filled = route.path.replace(/:([A-Za-z_]+)/g, (_, name: string) => {
    if (mangle) return encodeURIComponent("' or 1=1 --")
    if (name === 'organizationId') return organizationId
    return (own && ownIds[name]) || crypto.randomUUID()
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

interface JsonSchema {
  type?: string
  const?: unknown
  format?: string
  anyOf?: JsonSchema[]
  properties?: Record<string, JsonSchema>
  items?: JsonSchema
  minItems?: number
  minimum?: number
  minLength?: number
}

/** A plausible value for a route's `t` schema: every property, the first alternative of unions. */
function sample(schema: JsonSchema | undefined, depth = 0): unknown {
  if (!schema || depth > 8) return null
  if (schema.const !== undefined) return schema.const
  if (schema.anyOf)
    return sample(schema.anyOf.find((option) => option.type !== 'null') ?? schema.anyOf[0], depth)
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(
        Object.entries(schema.properties ?? {}).map(([key, value]) => [key, sample(value, depth + 1)]),
      )
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => sample(schema.items, depth + 1))
    case 'string':
      if (schema.format === 'email') return 'fuzz@example.com'
      if (schema.format === 'uuid') return ownIds.unitId ?? crypto.randomUUID()
      if (schema.format === 'date-time') return new Date().toISOString()
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1))
    case 'integer':
    case 'number':
      return Math.max(1, schema.minimum ?? 1)
    case 'boolean':
      return true
    default:
      return null
  }
}

/** Every string of a value replaced by one carrying a NUL character. */
function withNul(value: unknown): unknown {
  if (typeof value === 'string') return `${value}\u0000x`
  if (Array.isArray(value)) return value.map(withNul)
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, child]) => [key, withNul(child)]))
  return value
}

describe('fuzzing every route as a PH administrator, with ids of their own PH', () => {
  it('answers bodies shaped like each route expects, with NUL characters or deep nesting, with 4xx only', async () => {
    const problems: string[] = []
    const statuses = new Map<number, number>()
    // A body limit large enough for 5,000 levels of nesting to reach the parser and the validator.
    const roomy = createApp({
      services: { ...services, config: { ...services.config, bodyLimitBytes: 1_000_000 } },
      routes,
    })
    for (const route of routes) {
      const user = await createTestUser(services, { roles: [{ organizationId, role: 'ph_admin' }] })
      const headers = { ...user.headers, 'content-type': 'application/json' }
      const path = pathOf(route, false, true)
      const send = async (label: string, target: string, body?: unknown, type = 'application/json') => {
        const response = await roomy.handle(
          new Request(`http://localhost${target}`, {
            method: route.method,
            headers: { ...headers, 'content-type': type },
            body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
          }),
        )
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1)
        problems.push(
          ...problemsOf(`${route.method} ${route.path} ${label}`, response.status, await response.text()),
        )
        return response.status
      }
      await send('NUL in the query', `${path}?q=a%00b&search=%00&after=x%00`)
      if (route.method === 'GET' || route.method === 'DELETE') continue
      const schema = route.handler.routes[0]?.hooks.body as JsonSchema | undefined
      const valid = sample(schema)
      if (typeof valid === 'string') {
        // A text body (CSV): a NUL in a line.
        const status = await send('NUL in a text body', path, 'number;owner\n1A;Ana\u0000\n', 'text/csv')
        if (status !== 415 && status !== 422 && status < 500)
          problems.push(`${route.path} NUL text → ${status}`)
        continue
      }
      const nul = await send('NUL in every text field', path, withNul(valid))
      if (JSON.stringify(valid).includes('"') && nul !== 422) problems.push(`${route.path} NUL → ${nul}`)
      await send('nested 5,000 deep', path, `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`)
      await send('a plausible body', path, valid)
    }
    expect(problems).toEqual([])
    console.log('signed-in fuzz statuses', Object.fromEntries(statuses))
  }, 120_000)
})
