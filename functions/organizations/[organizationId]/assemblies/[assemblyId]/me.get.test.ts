import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { createTestUser } from '../../../../../core/services-testing.ts'
import { people } from '../../../../../db/schema/index.ts'
import { withPlatformScope } from '../../../../../db/tenant.ts'
import { createMotionTestApp, type Ph, SETUP_TIMEOUT_MS } from '../../motions/_testing.ts'

let t: Awaited<ReturnType<typeof createMotionTestApp>>
let ph: Ph

beforeAll(async () => {
  t = await createMotionTestApp()
  ph = await t.createPh()
}, SETUP_TIMEOUT_MS)
afterAll(() => t.services.close(), SETUP_TIMEOUT_MS)

const me = (user: Ph['admin']) => t.send('GET', ph.path(`/assemblies/${ph.assemblyId}/me`), undefined, user)

describe('GET /api/organizations/:organizationId/assemblies/:assemblyId/me', () => {
  it('shows an owner their own unit and its presence', async () => {
    const reply = await me(ph.owners['1A'])
    expect(reply.status).toBe(200)
    expect(reply.body.units).toEqual([
      expect.objectContaining({ number: '1A', role: 'owner', present: true, proxyId: null }),
    ])
    expect(reply.body.proxiesGiven).toEqual([])
  })

  it('shows a proxy holder every unit they represent', async () => {
    const reply = await me(ph.holder)
    expect(
      reply.body.units.map((unit: { number: string; role: string }) => `${unit.number}:${unit.role}`).sort(),
    ).toEqual(['2A:proxy', '2B:proxy'])
  })

  it('tells a proxy holder who granted each proxy they hold', async () => {
    const reply = await me(ph.holder)
    expect(reply.status).toBe(200)
    expect(
      reply.body.proxiesHeld.map(
        (proxy: { unitNumber: string; grantorName: string }) => `${proxy.unitNumber}:${proxy.grantorName}`,
      ),
    ).toEqual(['2A:Propietario 2A', '2B:Propietario 2B'])
  })

  it('shows an owner the proxy they gave, with the holder', async () => {
    const linked = await createTestUser(t.services)
    await withPlatformScope(t.services.db, (tx) =>
      tx
        .update(people)
        .set({ userId: linked.userId })
        .where(eq(people.id, ph.scenario.owner('2A'))),
    )
    const reply = await me(linked)
    expect(reply.status).toBe(200)
    expect(reply.body.units).toEqual([])
    expect(reply.body.proxiesGiven).toEqual([
      expect.objectContaining({ unitNumber: '2A', holderName: 'Apoderada Uno' }),
    ])
  })

  it('answers 404 for an assembly of another PH', async () => {
    const other = await t.createPh()
    const reply = await t.send(
      'GET',
      ph.path(`/assemblies/${other.assemblyId}/me`),
      undefined,
      ph.owners['1A'],
    )
    expect(reply.status).toBe(404)
  })
})
