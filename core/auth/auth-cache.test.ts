import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import type { DatabaseHandle } from '../../db/client.ts'
import { memberships, organizations, people, users } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { registerProxy, revokeProxy } from '../assemblies/proxies.ts'
import { createAssemblyFixture, systemActor } from '../assemblies/testing.ts'
import { createTestBus } from '../bus/testing.ts'
import { createChangeNotifier } from '../changes/notifier.ts'
import { membershipVersion } from '../changes/versions.ts'
import { importUnits } from '../ph/csv-import.ts'
import { createAuthCache } from './auth-cache.ts'
import { resolveMembership } from './membership.ts'
import { findOrCreateUser } from './otp.ts'
import { createSession, invalidateSession } from './sessions.ts'

const policy = { idleMs: 3_600_000, absoluteMs: 86_400_000 }
let handle: DatabaseHandle
let bus: ReturnType<typeof createTestBus>
let userId: string
let organizationId: string
/** Statements sent, by the first words that tell them apart. */
const sent: string[] = []
const statementsLike = (pattern: RegExp) => sent.filter((query) => pattern.test(query)).length
const VALIDATE_SESSIONS = /from "sessions" inner join "users"/
const PH_MEMBERSHIPS = /from \(select m\.user_id from memberships m where m\.organization_id = \$1\s+union/
const ONE_MEMBERSHIP =
  /from \(select m\.user_id from memberships m where m\.organization_id = \$1 and m\.user_id/

beforeAll(async () => {
  handle = await createTestDatabase({ onQuery: (query) => sent.push(query) })
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

  it('validates the sessions asked for together with one statement, each as validateSession would', async () => {
    const cache = createAuthCache({ db: handle.db, bus })
    const [other] = await handle.db.insert(users).values({ email: 'batch@example.com' }).returning()
    const valid = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        createSession(handle.db, { userId: i % 2 ? userId : other!.id }, policy),
      ),
    )
    const expired = await createSession(handle.db, { userId }, { idleMs: 3_600_000, absoluteMs: 1 })
    await Bun.sleep(5)
    const [id, secret] = valid[0]!.token.split('.')
    const tokens = [
      ...valid.map((session) => session.token),
      `${id}.${secret!.replace(/.$/, secret!.endsWith('a') ? 'b' : 'a')}`, // wrong secret
      expired.token,
      'no-dots',
      `${crypto.randomUUID()}.unknown`,
      valid[3]!.token, // asked twice
    ]
    const before = statementsLike(VALIDATE_SESSIONS)
    const answers = await Promise.all(tokens.map((token) => cache.session(token, policy)))
    expect(statementsLike(VALIDATE_SESSIONS) - before).toBe(1)
    expect(answers.map((answer) => answer?.session.id ?? null)).toEqual([
      ...valid.map((session) => session.id),
      null,
      null,
      null,
      null,
      valid[3]!.id,
    ])
    expect(answers.slice(0, 12).map((answer) => answer!.user.id)).toEqual(
      valid.map((_, i) => (i % 2 ? userId : other!.id)),
    )
    // The expired session was deleted, as validateSession deletes it.
    expect(await cache.session(expired.token, policy)).toBeNull()
  })

  it("loads every membership of a PH with one statement, each as resolveMembership finds it, and reloads on the PH's changes", async () => {
    const ph = await createAssemblyFixture(handle.db, {
      units: [
        ['1', '25', 'Ana'],
        ['2', '25', 'Beto'],
        ['3', '25', 'Caro'],
        ['4', '25', 'Dani'],
      ],
    })
    const org = ph.organizationId
    const newUser = async (name: string) =>
      (
        await handle.db
          .insert(users)
          .values({ email: `${name}-${crypto.randomUUID().slice(0, 8)}@example.com` })
          .returning()
      )[0]!.id
    const ids = {
      ana: await newUser('ana'),
      beto: await newUser('beto'),
      caro: await newUser('caro'),
      eva: await newUser('eva'),
      staff: await newUser('staff'),
      nobody: await newUser('nobody'),
      stranger: await newUser('stranger'),
    }
    const [eva] = await withTenant(handle.db, org, async (tx) => {
      for (const [name, user] of [
        ['Ana', ids.ana],
        ['Beto', ids.beto],
        ['Caro', ids.caro],
      ] as const)
        await tx.update(people).set({ userId: user }).where(eq(people.id, ph.personIds[name]!))
      return tx
        .insert(people)
        .values([
          { organizationId: org, fullName: 'Eva', userId: ids.eva },
          { organizationId: org, fullName: 'Nadie', userId: ids.nobody },
        ])
        .returning()
    })
    await handle.db.insert(memberships).values([
      { userId: ids.beto, organizationId: org, role: 'auditor' },
      { userId: ids.staff, organizationId: org, role: 'checkin_staff' },
    ])
    const changes = createChangeNotifier({ bus })
    const scope = { organizationId: org, assemblyId: ph.assembly.id, actor: systemActor }
    await registerProxy(
      handle.db,
      { ...scope, grantorUnitId: ph.unitIds['4']!, holder: { personId: eva!.id } },
      { changes },
    )
    const proxy = await registerProxy(
      handle.db,
      { ...scope, grantorUnitId: ph.unitIds['1']!, holder: { personId: ph.personIds.Caro! } },
      { changes },
    )

    const cache = createAuthCache({ db: handle.db, bus })
    const everyone = Object.values(ids)
    const bulkBefore = statementsLike(PH_MEMBERSHIPS)
    const oneBefore = statementsLike(ONE_MEMBERSHIP)
    const cached = await Promise.all(everyone.map((user) => cache.membership(user, org)))
    const expected = await Promise.all(everyone.map((user) => resolveMembership(handle.db, user, org)))
    expect(statementsLike(PH_MEMBERSHIPS) - bulkBefore).toBe(1)
    // Only the two without a role are asked again (a "not a member" is never kept), and the checks above.
    expect(statementsLike(ONE_MEMBERSHIP) - oneBefore).toBe(2 + everyone.length)
    const sorted = (m: { roles: string[]; personIds: string[] }) => ({
      roles: [...m.roles].sort(),
      personIds: [...m.personIds].sort(),
    })
    expect(cached.map(sorted)).toEqual(expected.map(sorted))
    expect(cached.map((m) => [...m.roles].sort())).toEqual([
      ['owner'],
      ['auditor', 'owner'],
      ['owner', 'proxy_holder'],
      ['proxy_holder'],
      ['checkin_staff'],
      [],
      [],
    ])
    // Served from memory until the PH's membership version moves.
    const again = statementsLike(PH_MEMBERSHIPS)
    expect((await cache.membership(ids.caro, org)).roles.sort()).toEqual(['owner', 'proxy_holder'])
    expect(statementsLike(PH_MEMBERSHIPS)).toBe(again)
    // The proxy's revocation announces itself: the next request sees Caro without it.
    await revokeProxy(handle.db, { ...scope, proxyId: proxy.id }, { changes })
    expect((await cache.membership(ids.caro, org)).roles).toEqual(['owner'])
    expect(statementsLike(PH_MEMBERSHIPS)).toBe(again + 1)
  })
})
