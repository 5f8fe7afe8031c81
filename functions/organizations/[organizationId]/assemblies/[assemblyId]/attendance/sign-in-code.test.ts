import { describe, expect, it, setDefaultTimeout } from 'bun:test'
import { eq, isNull, sql } from 'drizzle-orm'
import { auditLog, deskSignInCodes, people } from '../../../../../../db/schema/index.ts'
import { withPlatformScope } from '../../../../../../db/tenant.ts'
import { jsonRequest } from '../../../../../_lib/testing.ts'
import { phForTests } from '../../../_testing.ts'

// Desk-issued one-time sign-in codes (issue #13): for checked-in people whose email does not arrive.
setDefaultTimeout(30_000)

const { t, ph } = phForTests({ RATE_LIMIT_AUTH_GUESSES_PER_IP: '20' }, (app) => app.createRosterPh())

async function presentAssembly(...personIds: string[]) {
  const assemblyId = await t.createAssembly(ph, { status: 'in_progress' })
  const path = (rest: string) => ph.path(`/assemblies/${assemblyId}${rest}`)
  for (const personId of personIds) {
    const res = await t.send('POST', path('/attendance/check-in'), { mode: 'in_person', personId }, ph.staff)
    expect(res.status).toBe(200)
  }
  return {
    assemblyId,
    issue: (personId: string, user = ph.staff) =>
      t.send('POST', path('/attendance/sign-in-code'), { personId }, user),
  }
}

const ROOM = `198.19.${Math.floor(Math.random() * 250)}.7`
const redeem = async (code: string, ip = ROOM) => {
  const response = await t.app.handle(
    jsonRequest('POST', '/api/auth/desk-code', { code }, { 'x-forwarded-for': ip }),
  )
  return {
    status: response.status,
    body: (await response.json()) as { token?: string; error?: { code: string } },
  }
}

describe('desk sign-in codes', () => {
  it('signs a checked-in owner in once, as the account of their email, and audits both steps', async () => {
    // Other tests of this file may issue codes first (any order): count this test's audit rows since a mark.
    const deskAudits = async () => {
      const rows = await t.services.db
        .select({ action: auditLog.action })
        .from(auditLog)
        .where(sql`${auditLog.action} in ('auth.desk_code_issued', 'auth.desk_code_used')`)
      return { issued: rows.filter((a) => a.action === 'auth.desk_code_issued').length, all: rows.length }
    }
    const mark = await deskAudits()
    const { issue } = await presentAssembly(ph.owners['102']!)
    const issued = await issue(ph.owners['102']!)
    expect(issued.status).toBe(200)
    expect(issued.body.code).toMatch(/^[2-9A-Z]{5}-[2-9A-Z]{5}$/)
    expect(issued.body.url).toEndWith(`/sign-in?desk=${issued.body.code}`)
    expect(issued.body.personName).toBe('Bruno Díaz')
    // Typed in lower case without the dash, as people do.
    const used = await redeem(issued.body.code.replace('-', '').toLowerCase())
    expect(used.status).toBe(200)
    const session = await t.app.handle(
      jsonRequest('GET', '/api/auth/session', undefined, { authorization: `Bearer ${used.body.token!}` }),
    )
    const me = (await session.json()) as { user: { email: string }; organizations: { id: string }[] }
    expect(me.user.email).toBe('bruno@example.com')
    expect(me.organizations.map((o) => o.id)).toContain(ph.organizationId)
    const again = await redeem(issued.body.code)
    expect(again).toMatchObject({ status: 400, body: { error: { code: 'invalid_code' } } })
    const audits = await deskAudits()
    // One code issued, one use (the refused second try is not a use).
    expect({ issued: audits.issued - mark.issued, all: audits.all - mark.all }).toEqual({ issued: 1, all: 2 })
  })

  it('refuses an expired code', async () => {
    const { issue } = await presentAssembly(ph.owners['103']!)
    const issued = await issue(ph.owners['103']!)
    await t.services.db
      .update(deskSignInCodes)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(isNull(deskSignInCodes.consumedAt))
    expect((await redeem(issued.body.code)).status).toBe(400)
  })

  it('issues codes only for people checked in, with an email, and only to desk staff', async () => {
    const { issue } = await presentAssembly(ph.owners['104']!)
    expect((await issue(ph.owners['105']!)).body.error.code).toBe('not_checked_in')
    const owner = await t.signInAs(ph.owners['104']!)
    expect((await issue(ph.owners['104']!, owner)).status).toBe(403)
    await withPlatformScope(t.services.db, (tx) =>
      tx.update(people).set({ email: null }).where(eq(people.id, ph.owners['104']!)),
    )
    const noEmail = await issue(ph.owners['104']!)
    expect(noEmail.status).toBe(422)
    expect(noEmail.body.error.code).toBe('person_without_email')
  })

  it('counts wrong codes against the client address', async () => {
    const sprayer = `198.19.251.${1 + Math.floor(Math.random() * 250)}`
    const statuses: number[] = []
    const limit = t.services.config.auth.guessLimitPerIp
    for (let i = 0; i <= limit; i++) statuses.push((await redeem('ZZZZZ-ZZZZZ', sprayer)).status)
    expect(statuses.slice(0, limit).every((s) => s === 400)).toBe(true)
    expect(statuses.at(-1)).toBe(429)
  })
})
