import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { count, sql } from 'drizzle-orm'
import type { DatabaseHandle } from './client.ts'
import { agendaItems, assemblies, motions, ownerships, people, proxies, units } from './schema/index.ts'
import { seedDemo } from './seed.ts'
import { createTestDatabase } from './testing.ts'

let handle: DatabaseHandle
/** What the first seeding answered; every test reads the seeded data, in any order. */
let firstRun: boolean

beforeAll(async () => {
  handle = await createTestDatabase()
  firstRun = await seedDemo(handle.db)
})
afterAll(() => handle.close())

const countOf = async (table: Parameters<ReturnType<DatabaseHandle['db']['select']>['from']>[0]) => {
  const [row] = await handle.db.select({ n: count() }).from(table)
  return row?.n
}

describe('seedDemo', () => {
  it('creates the demo PH once', async () => {
    expect(firstRun).toBe(true)
    expect(await seedDemo(handle.db)).toBe(false)
    expect(await countOf(units)).toBe(120)
  })

  it('has 120 units whose coefficients sum to exactly 100', async () => {
    const [row] = await handle.db
      .select({ n: count(), total: sql<string>`sum(${units.coefficient})::text` })
      .from(units)
    expect(row).toEqual({ n: 120, total: '100.000000000' })
  })

  it('has units of different sizes and some behind on fees', async () => {
    const [row] = await handle.db
      .select({
        sizes: sql<number>`count(distinct ${units.coefficient})::int`,
        behind: sql<number>`count(*) filter (where not ${units.upToDate})::int`,
      })
      .from(units)
    // Three sizes; the largest-remainder rounding may split one size into two adjacent values.
    expect(row!.sizes).toBeGreaterThanOrEqual(3)
    expect(row!.sizes).toBeLessThanOrEqual(4)
    expect(row!.behind).toBeGreaterThan(0)
  })

  it('has owners for every unit, two proxies, one assembly with 4 agenda items and 3 motions', async () => {
    const [owned] = await handle.db
      .select({ n: sql<number>`count(distinct ${ownerships.unitId})::int` })
      .from(ownerships)
    expect(owned!.n).toBe(120)
    expect(await countOf(people)).toBeGreaterThan(120)
    expect(await countOf(proxies)).toBe(2)
    expect(await countOf(assemblies)).toBe(1)
    expect(await countOf(agendaItems)).toBe(4)
    expect(await countOf(motions)).toBe(3)
  })
})
