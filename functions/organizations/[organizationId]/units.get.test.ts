import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { organizations } from '../../../db/schema/index.ts'
import { DEMO_SLUG, seedDemo } from '../../../db/seed.ts'
import {
  createTestApp,
  createTestServices,
  createTestUser,
  jsonRequest,
  type TestUser,
} from '../../_lib/testing.ts'

let services: Awaited<ReturnType<typeof createTestServices>>
let app: Awaited<ReturnType<typeof createTestApp>>
let organizationId: string
let admin: TestUser

beforeAll(async () => {
  services = await createTestServices()
  app = await createTestApp(services)
  await seedDemo(services.db)
  const [org] = await services.db.select().from(organizations).where(eq(organizations.slug, DEMO_SLUG))
  organizationId = org!.id
  admin = await createTestUser(services, { roles: [{ organizationId, role: 'ph_admin' }] })
})
afterAll(() => services.close())

const get = async (path: string) => {
  const response = await app.handle(jsonRequest('GET', path, undefined, admin.headers))
  return { status: response.status, body: await response.json() }
}

describe('GET /api/organizations/:organizationId/units', () => {
  it('lists the seeded units with their exact coefficients', async () => {
    const res = await get(`/api/organizations/${organizationId}/units?limit=1000`)
    expect(res.status).toBe(200)
    expect(res.body.total).toBe(120)
    expect(res.body.totalCoefficient).toBe('100.000000000')
    expect(res.body.units).toHaveLength(120)
    expect(res.body.units[0]).toMatchObject({ number: '10A', upToDate: expect.any(Boolean) })
    expect(res.body.next).toBeNull()
  })

  it('pages by cursor without gaps or repeats', async () => {
    const seen: string[] = []
    let after: string | null = null
    do {
      const query: string = after ? `&after=${encodeURIComponent(after)}` : ''
      const res = await get(`/api/organizations/${organizationId}/units?limit=50${query}`)
      seen.push(...res.body.units.map((unit: { number: string }) => unit.number))
      after = res.body.next
    } while (after)
    expect(seen).toHaveLength(120)
    expect(new Set(seen).size).toBe(120)
  })

  it('refuses anonymous callers', async () => {
    const response = await app.handle(jsonRequest('GET', `/api/organizations/${organizationId}/units`))
    expect(response.status).toBe(401)
  })

  it('answers 404 for an unknown PH', async () => {
    const res = await get(`/api/organizations/${crypto.randomUUID()}/units`)
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('not_found')
  })

  it.each([
    ['a limit too large', `/api/organizations/${'ORG'}/units?limit=5000`, 'query.limit'],
    ['a non-numeric limit', `/api/organizations/${'ORG'}/units?limit=abc`, 'query.limit'],
  ])('answers 422 naming the field for %s', async (_name, path, field) => {
    const res = await get(path.replace('ORG', organizationId))
    expect(res.status).toBe(422)
    expect(res.body.error.details.map((issue: { field: string }) => issue.field)).toContain(field)
  })
})
