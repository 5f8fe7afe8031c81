import { describe, expect, it, setDefaultTimeout } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import { createSession } from '../../../core/auth/sessions.ts'
import type { TestUser } from '../../../core/services-testing.ts'
import { auditLog } from '../../../db/schema/index.ts'
import { phForTests, type TestPh } from './_testing.ts'

// A plain `bun test` (without package.json's --timeout) allows 5 s; set-up here creates a database.
setDefaultTimeout(30_000)

const { t, ph } = phForTests()

const grant = (body: unknown, as: TestUser = ph.admin, on: TestPh = ph) =>
  t.send('POST', on.path('/members'), body, as)
const revoke = (membershipId: string, as: TestUser = ph.admin, on: TestPh = ph) =>
  t.send('DELETE', on.path(`/members/${membershipId}`), undefined, as)

async function sessionOf(userId: string): Promise<TestUser> {
  const { auth } = t.services.config
  const { token } = await createSession(
    t.services.db,
    { userId },
    { idleMs: auth.sessionIdleMs, absoluteMs: auth.sessionAbsoluteMs },
  )
  return { userId, token, headers: { authorization: `Bearer ${token}` } }
}

async function auditOf(action: string, subject: string) {
  return t.services.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.subject, subject)))
}

describe('members of a PH', () => {
  it('lists the admin and the check-in staff', async () => {
    const res = await t.send('GET', ph.path('/members'), undefined, ph.admin)
    expect(res.status).toBe(200)
    expect(
      res.body.members.map((member: { userId: string; role: string }) => [member.userId, member.role]),
    ).toEqual(
      expect.arrayContaining([
        [ph.admin.userId, 'ph_admin'],
        [ph.staff.userId, 'checkin_staff'],
      ]),
    )
  })

  it('grants a role to an email that never signed in, creating the user with it', async () => {
    const res = await grant({ email: 'Mesa.Nueva@Example.com', role: 'checkin_staff' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ email: 'mesa.nueva@example.com', role: 'checkin_staff' })
    const newcomer = await sessionOf(res.body.userId)
    expect((await t.send('GET', ph.path('/people'), undefined, newcomer)).status).toBe(200)
  })

  it('records the grant in the audit log', async () => {
    const res = await grant({ email: 'auditada@example.com', role: 'ph_admin' })
    const entries = await auditOf('role.granted', res.body.userId)
    expect(entries).toEqual([
      expect.objectContaining({ organizationId: ph.organizationId, actorUserId: ph.admin.userId }),
    ])
    expect(entries[0]!.data).toMatchObject({ membershipId: res.body.id, role: 'ph_admin' })
  })

  it('answers 409 when the user already has the role', async () => {
    await grant({ email: 'dos.veces@example.com', role: 'checkin_staff' })
    const res = await grant({ email: 'dos.veces@example.com', role: 'checkin_staff' })
    expect(res.status).toBe(409)
  })

  it('answers 422 for a role that is not granted by hand', async () => {
    const res = await grant({ email: 'dueno@example.com', role: 'owner' })
    expect(res.status).toBe(422)
  })

  it('does not let check-in staff grant roles', async () => {
    const res = await grant({ email: 'colado@example.com', role: 'ph_admin' }, ph.staff)
    expect(res.status).toBe(403)
  })

  it('revokes a role, after which the user has no access', async () => {
    const granted = await grant({ email: 'temporal@example.com', role: 'checkin_staff' })
    const res = await revoke(granted.body.id)
    expect(res.status).toBe(200)
    const former = await sessionOf(granted.body.userId)
    expect((await t.send('GET', ph.path('/people'), undefined, former)).status).toBe(404)
  })

  it('records the revocation in the audit log', async () => {
    const granted = await grant({ email: 'saliente@example.com', role: 'checkin_staff' })
    await revoke(granted.body.id)
    const entries = await auditOf('role.revoked', granted.body.userId)
    expect(entries).toHaveLength(1)
    expect(entries[0]!.data).toMatchObject({ membershipId: granted.body.id, role: 'checkin_staff' })
  })

  it('refuses to remove the last PH admin', async () => {
    const lone = await t.createPh()
    const [own] = (await t.send('GET', lone.path('/members'), undefined, lone.admin)).body.members.filter(
      (member: { role: string }) => member.role === 'ph_admin',
    )
    const res = await revoke(own.id, lone.admin, lone)
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('last_admin')
  })

  it('lets one of two admins remove the other', async () => {
    const pair = await t.createPh()
    const second = await grant({ email: 'segunda.admin@example.com', role: 'ph_admin' }, pair.admin, pair)
    const res = await revoke(second.body.id, pair.admin, pair)
    expect(res.status).toBe(200)
  })

  it('answers 404 for a membership of another PH', async () => {
    const other = await t.createPh()
    const theirs = await grant({ email: 'ajena@example.com', role: 'checkin_staff' }, other.admin, other)
    const res = await revoke(theirs.body.id)
    expect(res.status).toBe(404)
  })
})
