import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { DatabaseHandle } from '../../db/client.ts'
import { quorumLog } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { checkIn, checkOut } from './attendance.ts'
import { loadQuorumTrend } from './quorum-trend.ts'
import { createAppTestDatabase, createAssemblyFixture, systemActor } from './testing.ts'

let handle: DatabaseHandle
beforeAll(async () => {
  handle = await createAppTestDatabase()
})
afterAll(() => handle.close())

async function meeting() {
  const fixture = await createAssemblyFixture(handle.db, {
    units: [
      ['101', '50', 'Ana'],
      ['102', '30', 'Beto'],
      ['103', '20', 'Carla'],
    ],
    status: 'in_progress',
  })
  return { fixture, ids: { organizationId: fixture.organizationId, assemblyId: fixture.assembly.id } }
}

const trend = (ids: { organizationId: string; assemblyId: string }, base: 'coefficient' | 'units' | 'both') =>
  withTenant(handle.db, ids.organizationId, (tx) =>
    loadQuorumTrend(tx, ids.organizationId, ids.assemblyId, base),
  )

describe('loadQuorumTrend', () => {
  it('follows arrivals and departures by the rule base, oldest first', async () => {
    const { fixture, ids } = await meeting()
    const arrive = (name: string) =>
      checkIn(handle.db, {
        ...ids,
        personId: fixture.personIds[name]!,
        mode: 'in_person',
        actor: systemActor,
      })
    await arrive('Ana')
    await arrive('Beto')
    await checkOut(handle.db, { ...ids, personId: fixture.personIds.Ana!, actor: systemActor })
    const byCoefficient = (await trend(ids, 'coefficient')).map(([, percent]) => percent)
    expect(byCoefficient.slice(-3)).toEqual([50, 80, 30])
    const byUnits = (await trend(ids, 'units')).map(([, percent]) => percent)
    expect(byUnits.slice(-3)).toEqual([33.33, 66.67, 33.33])
    // 'both': the lower share binds.
    expect((await trend(ids, 'both')).map(([, percent]) => percent).slice(-3)).toEqual([33.33, 66.67, 30])
    const times = (await trend(ids, 'units')).map(([at]) => at)
    expect([...times].sort((a, b) => a - b)).toEqual(times)
  })

  it('thins a long log to about 60 points and always ends with the latest entry', async () => {
    const { ids } = await meeting()
    // After the log rows the fixture wrote when the meeting started.
    const start = Date.now() + 1000
    await withTenant(handle.db, ids.organizationId, (tx) =>
      tx.insert(quorumLog).values(
        Array.from({ length: 250 }, (_, i) => ({
          ...ids,
          call: 'first' as const,
          presentCoefficient: String(i === 249 ? 77 : i % 50),
          totalCoefficient: '100',
          presentUnits: 1,
          totalUnits: 3,
          reached: false,
          at: new Date(start + i * 10_000),
        })),
      ),
    )
    const points = await trend(ids, 'coefficient')
    expect(points.length).toBeLessThanOrEqual(61)
    expect(points.length).toBeGreaterThan(40)
    expect(points.at(-1)![1]).toBe(77)
  })
})
