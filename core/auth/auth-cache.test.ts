import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import type { DatabaseHandle } from '../../db/client.ts'
import { memberships, organizations, users } from '../../db/schema/index.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { createTestBus } from '../bus/testing.ts'
import { createChangeNotifier } from '../changes/notifier.ts'
import { membershipVersion } from '../changes/versions.ts'
import { importUnits } from '../ph/csv-import.ts'
import { createAuthCache } from './auth-cache.ts'
import { findOrCreateUser } from './otp.ts'
import { createSession, invalidateSession } from './sessions.ts'

const policy = { idleMs: 3_600_000, absoluteMs: 86_400_000 }
let handle: DatabaseHandle
let bus: ReturnType<typeof createTestBus>
let userId: string
let organizationId: string

beforeAll(async () => {
  handle = await createTestDatabase()
  bus = createTestBus()
  const [user] = await handle.db.insert(users).values({ email: 'cache@example.com' }).returning()
  const [org] = await handle.db
    .insert(organizations)
    .values({ slug: 'cache-ph', name: 'Cache PH' })
    .returning()
  userId = user!.id
  organizationId = org!.id
})
afterAll(async () => {
  await bus.close()
  await handle.close()
})

describe('auth cache', () => {
  it('serves a validated session from memory, and forgets it in every process once revoked', async () => {
    const here = createAuthCache({ db: handle.db, bus })
    const there = createAuthCache({ db: handle.db, bus })
    const { token, id } = await createSession(handle.db, { userId }, policy)
    expect((await here.session(token, policy))?.user.id).toBe(userId)
    expect((await there.session(token, policy))?.user.id).toBe(userId)
    await invalidateSession(handle.db, id)
    // Still cached until announced…
    expect(await there.session(token, policy)).not.toBeNull()
    await here.revoke({ sessionIds: [id] })
    for (let i = 0; i < 50 && (await there.session(token, policy)) !== null; i++) await Bun.sleep(10)
    expect(await there.session(token, policy)).toBeNull()
    expect(await here.session(token, policy)).toBeNull()
  })

  it('never serves a cached session past its expiry, however recently it was validated', async () => {
    const cache = createAuthCache({ db: handle.db, bus })
    const shortLived = { idleMs: 3_600_000, absoluteMs: 300 }
    const { token } = await createSession(handle.db, { userId }, shortLived)
    expect((await cache.session(token, shortLived))?.user.id).toBe(userId)
    await Bun.sleep(400)
    expect(await cache.session(token, shortLived)).toBeNull()
  })

  it("keeps a membership until the PH's membership version changes", async () => {
    const cache = createAuthCache({ db: handle.db, bus })
    const [granted] = await handle.db
      .insert(memberships)
      .values({ userId, organizationId, role: 'ph_admin' })
      .returning()
    expect((await cache.membership(userId, organizationId)).roles).toEqual(['ph_admin'])
    await handle.db.delete(memberships).where(eq(memberships.id, granted!.id))
    // Served from the cache until a membership change is announced: attendance, motions, the
    // assembly's status and up-to-date flags do not touch anyone's roles.
    expect((await cache.membership(userId, organizationId)).roles).toEqual(['ph_admin'])
    const changes = createChangeNotifier({ bus })
    const assemblyId = crypto.randomUUID()
    await changes.announce({
      organizationId,
      assemblyId,
      kinds: ['attendance'],
      unitIds: [crypto.randomUUID()],
    })
    await changes.announce({ organizationId, assemblyId, kinds: ['motion', 'assembly', 'agenda'] })
    await changes.announce({ organizationId, kinds: ['roster'], unitIds: [crypto.randomUUID()] })
    expect((await cache.membership(userId, organizationId)).roles).toEqual(['ph_admin'])
    await changes.announce({ organizationId, kinds: ['membership'] })
    expect((await cache.membership(userId, organizationId)).roles).toEqual([])
  })

  it('drops memberships on a proxy change (the holder gains or loses the proxy holder role)', async () => {
    const cache = createAuthCache({ db: handle.db, bus })
    const [granted] = await handle.db
      .insert(memberships)
      .values({ userId, organizationId, role: 'auditor' })
      .returning()
    expect((await cache.membership(userId, organizationId)).roles).toEqual(['auditor'])
    await handle.db.delete(memberships).where(eq(memberships.id, granted!.id))
    await createChangeNotifier({ bus }).announce({
      organizationId,
      assemblyId: crypto.randomUUID(),
      kinds: ['proxy'],
      unitIds: [crypto.randomUUID()],
    })
    expect((await cache.membership(userId, organizationId)).roles).toEqual([])
  })

  it('never keeps a "not a member": imported, then signed in, the person is a member at once', async () => {
    const cache = createAuthCache({ db: handle.db, bus })
    const email = `imported-${crypto.randomUUID().slice(0, 8)}@example.com`
    const [user] = await handle.db.insert(users).values({ email }).returning()
    const [org] = await handle.db
      .insert(organizations)
      .values({ slug: `import-${crypto.randomUUID().slice(0, 8)}`, name: 'Import PH' })
      .returning()
    // Refused (and asked again, as every request of a refused user does).
    expect((await cache.membership(user!.id, org!.id)).roles).toEqual([])
    expect((await cache.membership(user!.id, org!.id)).roles).toEqual([])
    // The roster is imported with their address, and they sign in: nothing announces a change.
    const version = await membershipVersion(bus, org!.id)
    const csv = ['Unidad;Finca;Coeficiente;Propietario;Correo;Teléfono;Al día', `1A;F-1;100;Ana;${email};;sí`]
    const report = await importUnits(handle.db, {
      organizationId: org!.id,
      csv: csv.join('\n'),
      dryRun: false,
      actor: { userId: null },
    })
    expect(report.applied).toBe(true)
    await findOrCreateUser(handle.db, email)
    expect(await membershipVersion(bus, org!.id)).toBe(version)
    const membership = await cache.membership(user!.id, org!.id)
    expect(membership.roles).toEqual(['owner'])
    expect(membership.personIds).toHaveLength(1)
  })
})
