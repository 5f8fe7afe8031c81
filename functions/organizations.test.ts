import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import type { Services } from '../core/services.ts'
import { createTestServices, createTestUser, type TestUser } from '../core/services-testing.ts'
import { memberships, organizations, users } from '../db/schema/index.ts'
import { createTestApp, jsonRequest } from './_lib/testing.ts'

/*
 * The platform administrator's PH routes: creating a PH grants its first administrator (an account is
 * made for a new address) and emails them; a taken slug, a bad field or a non-operator change nothing.
 */

let services: Services & { close(): Promise<void> }
let app: Awaited<ReturnType<typeof createTestApp>>
let operator: TestUser
const slugOf = (label: string) => `${label}-${crypto.randomUUID().slice(0, 6)}`

const create = (body: Record<string, unknown>, headers = operator.headers) =>
  app.handle(jsonRequest('POST', '/api/organizations', body, headers))

const countOrganizations = async () => (await services.db.select().from(organizations)).length

beforeAll(async () => {
  services = await createTestServices()
  app = await createTestApp(services)
  operator = await createTestUser(services, { platformAdmin: true })
})
afterAll(() => services.close())

describe('POST /api/organizations', () => {
  it('creates the PH, grants its administrator (a new account) and emails them where to sign in', async () => {
    const slug = slugOf('torre-mar')
    const adminEmail = `Admin-${slug}@Example.com`
    const response = await create({ name: 'PH Torre del Mar', slug, adminEmail, timeZone: 'America/Panama' })
    expect(response.status).toBe(200)
    const body = (await response.json()) as {
      organization: { id: string; slug: string; name: string }
      adminUserId: string
      invitationSent: boolean
    }
    expect(body.organization).toMatchObject({ slug, name: 'PH Torre del Mar' })
    expect(body.invitationSent).toBe(true)
    const [admin] = await services.db.select().from(users).where(eq(users.id, body.adminUserId))
    expect(admin?.email).toBe(adminEmail.toLowerCase())
    const granted = await services.db
      .select({ role: memberships.role, organizationId: memberships.organizationId })
      .from(memberships)
      .where(eq(memberships.userId, body.adminUserId))
    expect(granted).toEqual([{ role: 'ph_admin', organizationId: body.organization.id }])
    const mail = services.mailer.recent().find((message) => message.to === adminEmail.toLowerCase())
    expect(mail?.text).toContain('PH Torre del Mar')
    expect(mail?.text).toContain(services.config.publicUrl)
  })

  it('refuses a taken slug with 409 slug_taken and keeps the first PH alone', async () => {
    const slug = slugOf('taken')
    expect((await create({ name: 'PH Primero', slug, adminEmail: `a-${slug}@example.com` })).status).toBe(200)
    const before = await countOrganizations()
    const response = await create({ name: 'PH Segundo', slug, adminEmail: `b-${slug}@example.com` })
    expect(response.status).toBe(409)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('slug_taken')
    expect(await countOrganizations()).toBe(before)
    const [kept] = await services.db.select().from(organizations).where(eq(organizations.slug, slug))
    expect(kept?.name).toBe('PH Primero')
  })

  it('refuses an unknown time zone naming the field, creating nothing (no PH, no account)', async () => {
    const slug = slugOf('zona')
    const before = await countOrganizations()
    const adminEmail = `z-${slug}@example.com`
    const response = await create({ name: 'PH Zona', slug, adminEmail, timeZone: 'Mars/Olympus' })
    expect(response.status).toBe(422)
    expect(JSON.stringify(await response.json())).toContain('timeZone')
    expect(await countOrganizations()).toBe(before)
    expect(await services.db.select().from(users).where(eq(users.email, adminEmail))).toEqual([])
  })

  it('is for platform administrators only, and lists every PH by name for them', async () => {
    const someone = await createTestUser(services)
    const slug = slugOf('nope')
    const refused = await create(
      { name: 'PH No', slug, adminEmail: `n-${slug}@example.com` },
      someone.headers,
    )
    expect(refused.status).toBe(403)
    expect(
      (await app.handle(jsonRequest('GET', '/api/organizations', undefined, someone.headers))).status,
    ).toBe(403)
    const listed = (await (
      await app.handle(jsonRequest('GET', '/api/organizations', undefined, operator.headers))
    ).json()) as { organizations: { name: string; slug: string }[] }
    const names = listed.organizations.map((organization) => organization.name)
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
    expect(listed.organizations.some((organization) => organization.slug === slug)).toBe(false)
  })
})
