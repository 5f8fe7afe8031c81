import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { createTestServices, createTestUser, type TestUser } from '../../../core/services-testing.ts'
import { organizations } from '../../../db/schema/index.ts'
import { DEMO_SLUG, seedDemo } from '../../../db/seed.ts'
import { createTestApp, jsonRequest } from '../../_lib/testing.ts'

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
    expect(res.body.units[0]).toMatchObject({ number: '1A', upToDate: expect.any(Boolean) })
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

  it('sorts unit numbers naturally: 1A, 2A … 10A', async () => {
    const res = await get(`/api/organizations/${organizationId}/units?limit=1000`)
    const numbers: string[] = res.body.units.map((unit: { number: string }) => unit.number)
    expect(numbers.indexOf('2A')).toBeLessThan(numbers.indexOf('10A'))
    expect(numbers.indexOf('9A')).toBeLessThan(numbers.indexOf('10A'))
    expect(numbers.slice(0, 2)).toEqual(['1A', '1B'])
  })

  it('finds units by number, owner name and cédula, and lists their owners', async () => {
    const all = await get(`/api/organizations/${organizationId}/units?limit=1000`)
    const owned = all.body.units.find((unit: { owners: unknown[] }) => unit.owners.length > 0)
    const owner = owned.owners[0]
    const byName = await get(
      `/api/organizations/${organizationId}/units?search=${encodeURIComponent(owner.fullName.toUpperCase())}`,
    )
    expect(byName.body.units.map((unit: { id: string }) => unit.id)).toContain(owned.id)
    expect(byName.body.matching).toBeLessThan(120)
    const byNumber = await get(`/api/organizations/${organizationId}/units?search=10a`)
    expect(byNumber.body.units.map((unit: { number: string }) => unit.number)).toEqual(['10A'])
    const patched = await app.handle(
      jsonRequest(
        'PATCH',
        `/api/organizations/${organizationId}/people/${owner.personId}`,
        { documentId: '8-123-4567' },
        admin.headers,
      ),
    )
    expect(patched.status).toBe(200)
    const byId = await get(`/api/organizations/${organizationId}/units?search=81234567`)
    expect(byId.body.units.map((unit: { id: string }) => unit.id)).toContain(owned.id)
    expect(byId.body.units[0].owners.map((o: { documentId: string }) => o.documentId)).toContain('8-123-4567')
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
