import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { Elysia, t } from 'elysia'
import { createApiKey, revokeApiKey } from '../../core/auth/api-keys.ts'
import { createTestServices } from '../../core/services-testing.ts'
import { organizations } from '../../db/schema/index.ts'
import { withPlatformScope } from '../../db/tenant.ts'
import { apiKey } from './api-key.ts'
import { createApp } from './app.ts'
import { jsonRequest } from './testing.ts'

let services: Awaited<ReturnType<typeof createTestServices>>
let organizationA: string
let organizationB: string
let handled = 0

/** The real app (its one error mapping included) with two tiny inline routes behind the plugin. */
function createInlineApp() {
  const webhook = new Elysia().use(apiKey).post(
    '',
    ({ apiKey }) => {
      handled += 1
      return { id: apiKey.id, name: apiKey.name, scopes: apiKey.scopes }
    },
    { apiKey: 'votes:write', body: t.Object({ n: t.Integer() }) },
  )
  const perPh = new Elysia()
    .use(apiKey)
    .get('', ({ apiKey, params }) => ({ key: apiKey.id, organizationId: params.organizationId }), {
      apiKey: 'votes:write',
      params: t.Object({ organizationId: t.String() }),
    })
  return createApp({
    services,
    routes: [
      { file: 'x.post.ts', method: 'POST', path: '/x', handler: webhook },
      {
        file: 'organizations/[organizationId]/x.get.ts',
        method: 'GET',
        path: '/organizations/:organizationId/x',
        handler: perPh,
      },
    ],
  })
}
let app: ReturnType<typeof createInlineApp>

// The first PGlite start in a process can take well over the default 5 s under load.
beforeAll(async () => {
  services = await createTestServices()
  const rows = await withPlatformScope(services.db, (tx) =>
    tx
      .insert(organizations)
      .values([
        { slug: 'ph-a', name: 'PH A' },
        { slug: 'ph-b', name: 'PH B' },
      ])
      .returning({ id: organizations.id }),
  )
  organizationA = rows[0]!.id
  organizationB = rows[1]!.id
  app = createInlineApp()
}, 60_000)
afterAll(() => services.close())

const newKey = (input: { scopes?: string[]; organizationId?: string } = {}) =>
  createApiKey(services.db, { name: 'bots', scopes: ['votes:write'], ...input })

async function call(
  path: string,
  headers: Record<string, string>,
  method = 'POST',
  body: unknown = { n: 1 },
) {
  const response = await app.handle(
    jsonRequest(method, `/api${path}`, method === 'POST' ? body : undefined, headers),
  )
  return { status: response.status, body: await response.json() }
}

describe('apiKey plugin', () => {
  it('accepts a key in Authorization: Bearer and resolves apiKey', async () => {
    const { id, key } = await newKey()
    const res = await call('/x', { authorization: `Bearer ${key}` })
    expect(res).toEqual({ status: 200, body: { id, name: 'bots', scopes: ['votes:write'] } })
  })

  it('accepts a key in X-Api-Key', async () => {
    const { id, key } = await newKey()
    const res = await call('/x', { 'x-api-key': key })
    expect(res.status).toBe(200)
    expect(res.body.id).toBe(id)
  })

  it('answers 401 invalid_api_key when no key is presented, without running the handler', async () => {
    const before = handled
    const res = await call('/x', {})
    expect(res.status).toBe(401)
    expect(res.body.error.code).toBe('invalid_api_key')
    expect(res.body.error.message).toBeString()
    expect(handled).toBe(before)
  })

  const refused: [string, (key: string) => Record<string, string>][] = [
    ['a wrong secret', (key) => ({ authorization: `Bearer ${key.slice(0, -4)}aaaa` })],
    ['an unknown key', () => ({ 'x-api-key': `ak_${'a'.repeat(16)}.${'b'.repeat(32)}` })],
    ['a malformed key', () => ({ 'x-api-key': 'ak_nonsense' })],
    ['a session token as bearer', () => ({ authorization: `Bearer ${'c'.repeat(32)}.${'d'.repeat(32)}` })],
    ['another authorization scheme', (key) => ({ authorization: `Basic ${key}` })],
    ['an empty X-Api-Key', () => ({ 'x-api-key': '' })],
  ]
  it.each(refused)('answers 401 invalid_api_key for %s', async (_name, headersFor) => {
    const { key } = await newKey()
    const before = handled
    const res = await call('/x', headersFor(key))
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ error: { code: 'invalid_api_key', message: expect.any(String) } })
    expect(handled).toBe(before)
  })

  it('checks the key before the body, so callers without a key learn nothing of its schema', async () => {
    const res = await call('/x', { 'x-api-key': 'ak_nonsense' }, 'POST', { unexpected: true })
    expect(res.status).toBe(401)
    expect(res.body.error.code).toBe('invalid_api_key')
  })

  it('validates the body once the key is accepted', async () => {
    const { key } = await newKey()
    const res = await call('/x', { 'x-api-key': key }, 'POST', { n: 'one' })
    expect(res.status).toBe(422)
  })

  it('answers 401 for a revoked key', async () => {
    const { id, key } = await newKey()
    await revokeApiKey(services.db, id)
    const res = await call('/x', { authorization: `Bearer ${key}` })
    expect(res.status).toBe(401)
    expect(res.body.error.code).toBe('invalid_api_key')
  })

  it('answers 403 when the key lacks the route’s scope, without running the handler', async () => {
    const { key } = await newKey({ scopes: ['webhooks:whatsapp', 'votes:read'] })
    const before = handled
    const res = await call('/x', { authorization: `Bearer ${key}` })
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('forbidden')
    expect(res.body.error.message).toContain('votes:write')
    expect(handled).toBe(before)
  })

  it('lets a key bound to a PH act on that PH', async () => {
    const { id, key } = await newKey({ organizationId: organizationA })
    const res = await call(`/organizations/${organizationA}/x`, { 'x-api-key': key }, 'GET')
    expect(res).toEqual({ status: 200, body: { key: id, organizationId: organizationA } })
  })

  it('refuses a key bound to one PH on another PH’s route, as if the PH did not exist', async () => {
    const { key } = await newKey({ organizationId: organizationA })
    const res = await call(`/organizations/${organizationB}/x`, { 'x-api-key': key }, 'GET')
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('not_found')
  })

  it('lets an installation-wide key act on any PH', async () => {
    const { key } = await newKey()
    for (const organizationId of [organizationA, organizationB]) {
      const res = await call(`/organizations/${organizationId}/x`, { 'x-api-key': key }, 'GET')
      expect(res.status).toBe(200)
    }
  })
})
