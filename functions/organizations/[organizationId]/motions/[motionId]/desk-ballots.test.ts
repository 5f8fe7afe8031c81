import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import { createTestUser, type TestUser } from '../../../../../core/services-testing.ts'
import { auditLog, votes } from '../../../../../db/schema/index.ts'
import { withTenant } from '../../../../../db/tenant.ts'
import { createMotionTestApp, type Ph, SETUP_TIMEOUT_MS } from '../_testing.ts'

// Desk and paper ballots (issue #13): staff record units' choices through the same vote service,
// queue and rules as every channel. PH: 1A, 1B present as owners; 2A, 2B through one proxy holder;
// 3A absent.
let t: Awaited<ReturnType<typeof createMotionTestApp>>
let ph: Ph
let staff: TestUser

beforeAll(async () => {
  t = await createMotionTestApp()
  ph = await t.createPh()
  staff = await createTestUser(t.services, {
    roles: [{ organizationId: ph.organizationId, role: 'checkin_staff' }],
  })
}, SETUP_TIMEOUT_MS)
afterAll(() => t.services.close(), SETUP_TIMEOUT_MS)

const unit = (number: string) => ph.scenario.unit(number)
const record = (motionId: string, body: Record<string, unknown>, as: TestUser = staff) =>
  t.send('POST', ph.path(`/motions/${motionId}/desk-ballots`), body, as)

describe('desk and paper ballots', () => {
  it('records a desk ballot as the unit’s vote, channel desk, cast by the staff member, audited', async () => {
    const motionId = await t.createMotion(ph)
    await t.openMotion(ph, motionId)
    const res = await record(motionId, {
      kind: 'desk',
      reason: 'Propietaria sin teléfono',
      ballots: [{ unitId: unit('1A'), optionKeys: ['yes'] }],
    })
    expect(res.status).toBe(200)
    expect(res.body.refused).toEqual([])
    expect(res.body.accepted).toEqual([
      expect.objectContaining({ unitNumber: '1A', role: 'owner', receiptCode: expect.any(String) }),
    ])
    const closed = await t.closeMotion(ph, motionId)
    const [row] = await withTenant(t.services.db, ph.organizationId, (tx) =>
      tx
        .select()
        .from(votes)
        .where(and(eq(votes.motionId, motionId), eq(votes.unitId, unit('1A')))),
    )
    expect(row).toMatchObject({ channel: 'desk', castByUserId: staff.userId, optionKeys: ['yes'] })
    expect(row!.castByPersonId).toBe(ph.owners['1A'].personId)
    const tally = closed.body.result.totals.tally.options.find((o: { key: string }) => o.key === 'yes')
    expect(tally.coefficient).toBe('30.000000000')
    const [audit] = await t.services.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'vote.desk_recorded'), eq(auditLog.subject, motionId)))
    expect(audit).toMatchObject({
      actorUserId: staff.userId,
      data: { kind: 'desk', reason: 'Propietaria sin teléfono', units: ['1A'] },
    })
    // The audit never says how the unit voted.
    expect(JSON.stringify(audit!.data)).not.toContain('yes')
  })

  it('enters a paper tally unit by unit: proxies honoured, absent units refused by name', async () => {
    const motionId = await t.createMotion(ph)
    await t.openMotion(ph, motionId)
    const res = await record(motionId, {
      kind: 'paper',
      reason: 'Papeletas del punto 3',
      ballots: [
        { unitId: unit('1B'), optionKeys: ['no'] },
        { unitId: unit('2A'), optionKeys: ['yes'] },
        { unitId: unit('2B'), optionKeys: ['no'] },
        { unitId: unit('3A'), optionKeys: ['yes'] },
      ],
    })
    expect(res.status).toBe(200)
    expect(
      res.body.accepted.map((v: { unitNumber: string; role: string }) => [v.unitNumber, v.role]).sort(),
    ).toEqual([
      ['1B', 'owner'],
      ['2A', 'proxy'],
      ['2B', 'proxy'],
    ])
    expect(res.body.refused).toEqual([expect.objectContaining({ unitId: unit('3A'), code: 'not_present' })])
  })

  it('lets the last ballot count while open, whatever the channel, and nothing after close', async () => {
    const motionId = await t.createMotion(ph)
    await t.openMotion(ph, motionId)
    await t.vote(ph, motionId, ph.owners['1A'], [{ unit: '1A', options: ['no'] }])
    await record(motionId, {
      kind: 'show_of_hands',
      reason: 'Mano alzada',
      ballots: [{ unitId: unit('1A'), optionKeys: ['yes'] }],
    })
    const closed = await t.closeMotion(ph, motionId)
    const yes = closed.body.result.totals.tally.options.find((o: { key: string }) => o.key === 'yes')
    expect(yes.coefficient).toBe('30.000000000')
    const late = await record(motionId, {
      kind: 'desk',
      reason: 'Tarde',
      ballots: [{ unitId: unit('1B'), optionKeys: ['yes'] }],
    })
    expect(late.status).toBe(409)
    expect(late.body.error.code).toBe('motion_not_open')
  })

  it('is for staff only, refuses a unit twice and a missing reason, naming the field', async () => {
    const motionId = await t.createMotion(ph)
    await t.openMotion(ph, motionId)
    const ballot = { unitId: unit('1B'), optionKeys: ['yes'] }
    expect(
      (await record(motionId, { kind: 'desk', reason: 'x'.repeat(5), ballots: [ballot] }, ph.owners['1A']))
        .status,
    ).toBe(403)
    const twice = await record(motionId, { kind: 'paper', reason: 'Doble', ballots: [ballot, ballot] })
    expect(twice.status).toBe(422)
    expect(twice.body.error.code).toBe('duplicate_unit')
    const noReason = await record(motionId, { kind: 'desk', ballots: [ballot] })
    expect(noReason.status).toBe(422)
    expect(JSON.stringify(noReason.body.error.details)).toContain('reason')
  })
})
