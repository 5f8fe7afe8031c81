import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { sql } from 'drizzle-orm'
import { type DatabaseHandle, rowsOf } from './client.ts'
import { organizations, units } from './schema/index.ts'
import { createTestDatabase } from './testing.ts'

let handle: DatabaseHandle

beforeAll(async () => {
  handle = await createTestDatabase()
})
afterAll(() => handle.close())

describe('database', () => {
  it('runs on PostgreSQL when DATABASE_URL is set, else on PGlite', () => {
    expect(handle.kind).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite')
  })

  it('answers a ping', async () => {
    expect(await handle.ping()).toBe(true)
  })

  it('migrates idempotently', async () => {
    await handle.migrate()
    const rows = await handle.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`)
    const migrated = rowsOf<{ n: number }>(rows)
    const files = [...new Bun.Glob('*.sql').scanSync(`${import.meta.dir}/migrations`)]
    expect(migrated[0]?.n).toBe(files.length)
  })

  it('keeps coefficients exact to 9 decimals', async () => {
    const [org] = await handle.db.insert(organizations).values({ slug: 'exact', name: 'Exact' }).returning()
    await handle.db.insert(units).values([
      { organizationId: org!.id, number: 'A', coefficient: '33.333333333' },
      { organizationId: org!.id, number: 'B', coefficient: '33.333333333' },
      { organizationId: org!.id, number: 'C', coefficient: '33.333333334' },
    ])
    const [row] = await handle.db
      .select({ total: sql<string>`sum(${units.coefficient})::text` })
      .from(units)
      .where(sql`${units.organizationId} = ${org!.id}`)
    expect(row?.total).toBe('100.000000000')
  })
})
