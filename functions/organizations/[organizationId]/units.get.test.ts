import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { organizations } from '../../../db/schema/index.ts'
import { DEMO_SLUG, seedDemo } from '../../../db/seed.ts'
import { createTestApp, createTestServices, jsonRequest } from '../../_lib/testing.ts'

let services: Awaited<ReturnType<typeof createTestServices>>
let app: Awaited<ReturnType<typeof createTestApp>>
let organizationId: string

beforeAll(async () => {
  services = await createTestServices()
  app = await createTestApp(services)
  await seedDemo(services.db)
  const [org] = await services.db.select().from(organizations).where(eq(organizations.slug, DEMO_SLUG))
  organizationId = org!.id
})
afterAll(() => services.close())

const get = async (path: string) => {
  const response = await app.handle(jsonRequest('GET', path))
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

  it('answers 404 for an unknown PH', async () => {
    const res = await get(`/api/organizations/${crypto.randomUUID()}/units`)
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('not_found')
  })

  it.each([
    ['a malformed id', '/api/organizations/not-a-uuid/units', 'params.organizationId'],
    [
      'a limit too large',
      '/api/organizations/00000000-0000-4000-8000-000000000000/units?limit=5000',
      'query.limit',
    ],
    [
      'a non-numeric limit',
      '/api/organizations/00000000-0000-4000-8000-000000000000/units?limit=abc',
      'query.limit',
    ],
  ])('answers 422 naming the field for %s', async (_name, path, field) => {
    const res = await get(path)
    expect(res.status).toBe(422)
    expect(res.body.error.details.map((issue: { field: string }) => issue.field)).toContain(field)
  })
})
