import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq, sql } from 'drizzle-orm'
import { type DatabaseHandle, rowsOf } from './client.ts'
import { auditLog, organizations, units } from './schema/index.ts'
import { seedDemo } from './seed.ts'
import { withPlatformScope, withTenant } from './tenant.ts'
import { createTestDatabase } from './testing.ts'

// The application's view: connected as the non-superuser role, under row-level security.
let app: DatabaseHandle
let orgA: string
let orgB: string

beforeAll(async () => {
  app = await createTestDatabase({ appRole: 'assembly_app' })
  await seedDemo(app.db, { slug: 'ph-a' })
  await seedDemo(app.db, { slug: 'ph-b', onlyIntoEmpty: false })
  const all = await app.db.select().from(organizations)
  orgA = all.find((org) => org.slug === 'ph-a')!.id
  orgB = all.find((org) => org.slug === 'ph-b')!.id
})
afterAll(() => app.close())

describe('row-level security', () => {
  it('runs as a role that is neither superuser nor exempt from RLS', async () => {
    const [role] = rowsOf<{ rolsuper: boolean; rolbypassrls: boolean; name: string }>(
      await app.db.execute(
        sql`select current_user as name, rolsuper, rolbypassrls from pg_roles where rolname = current_user`,
      ),
    )
    expect(role).toEqual({ name: 'assembly_app', rolsuper: false, rolbypassrls: false })
  })

  it('shows a tenant only its own rows, even without a filter in the query', async () => {
    const seen = await withTenant(app.db, orgA, (tx) =>
      tx.select({ organizationId: units.organizationId }).from(units),
    )
    expect(seen).toHaveLength(120)
    expect(new Set(seen.map((row) => row.organizationId))).toEqual(new Set([orgA]))
  })

  it('shows nothing when no tenant is set', async () => {
    expect(await app.db.select().from(units)).toHaveLength(0)
  })

  it("refuses writing a row into another tenant's organization", async () => {
    const attempt = withTenant(app.db, orgA, (tx) =>
      tx.insert(units).values({ organizationId: orgB, number: 'X-1', coefficient: '1' }),
    )
    await expect(attempt).rejects.toThrow()
  })

  it("cannot update another tenant's rows", async () => {
    const updated = await withTenant(app.db, orgA, (tx) =>
      tx.update(units).set({ upToDate: false }).where(eq(units.organizationId, orgB)).returning(),
    )
    expect(updated).toHaveLength(0)
    const untouched = await withTenant(app.db, orgB, (tx) =>
      tx.select().from(units).where(eq(units.upToDate, false)),
    )
    expect(untouched.length).toBeLessThan(120)
  })

  it('lets explicit platform-scoped work see every tenant', async () => {
    const all = await withPlatformScope(app.db, (tx) => tx.select({ id: units.id }).from(units))
    expect(all).toHaveLength(240)
  })

  it('keeps the audit log append-only for the application', async () => {
    await app.db.insert(auditLog).values({ action: 'test', hash: 'h' })
    await expect((async () => app.db.update(auditLog).set({ action: 'rewritten' }))()).rejects.toThrow()
    await expect((async () => app.db.delete(auditLog))()).rejects.toThrow()
  })
})
