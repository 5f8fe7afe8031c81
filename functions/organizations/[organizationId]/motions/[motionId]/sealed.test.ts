import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import { auditLog } from '../../../../../db/schema/index.ts'
import { createMotionTestApp, type Ph, SETUP_TIMEOUT_MS } from '../_testing.ts'

// Results sealed until close: what the result and recount routes show of an open motion, and the audit
// row each look leaves. Each test has its own PH.
let t: Awaited<ReturnType<typeof createMotionTestApp>>

beforeAll(async () => {
  t = await createMotionTestApp()
}, SETUP_TIMEOUT_MS)
afterAll(() => t.services.close(), SETUP_TIMEOUT_MS)

const looksAt = async (motionId: string) =>
  (
    await t.services.db
      .select({ actor: auditLog.actorUserId, data: auditLog.data, at: auditLog.at })
      .from(auditLog)
      .where(and(eq(auditLog.subject, motionId), eq(auditLog.action, 'motion.tally_viewed')))
  ).map((row) => ({ actor: row.actor, data: row.data }))

const resultOf = (ph: Ph, motionId: string) =>
  t.send('GET', ph.path(`/motions/${motionId}/result`), undefined, ph.admin)

async function openVotedMotion(ph: Ph, body: Record<string, unknown>) {
  const motionId = await t.createMotion(ph, body)
  await t.openMotion(ph, motionId)
  const vote = await t.vote(ph, motionId, ph.owners['1A'], [{ unit: '1A', options: ['yes'] }])
  expect(vote.status).toBe(200)
  return motionId
}

describe('results sealed until close', () => {
  it('shows the PH admin only turnout of an open secret motion, and audits the look', async () => {
    const ph = await t.createPh()
    const motionId = await openVotedMotion(ph, { secret: true })
    const res = await resultOf(ph, motionId)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({
      motionId,
      status: 'open',
      sealed: true,
      turnout: { voted: 1, eligible: 5 },
      counts: null,
    })
    expect(res.text).not.toContain('"yes"')
    expect(await looksAt(motionId)).toEqual([
      { actor: ph.admin.userId, data: { view: 'result', status: 'open', sealed: true } },
    ])
  })

  it('seals a named motion too while the PH keeps sealNamedResults on (the default)', async () => {
    const ph = await t.createPh()
    const motionId = await openVotedMotion(ph, {})
    const res = await resultOf(ph, motionId)
    expect([res.body.sealed, res.body.counts]).toEqual([true, null])
  })

  it('shows the running tally of a named motion when the PH unseals it, and audits the look', async () => {
    const ph = await t.createPh()
    const patch = await t.send(
      'PATCH',
      `/api/organizations/${ph.organizationId}`,
      { sealNamedResults: false },
      ph.admin,
    )
    expect(patch.status).toBe(200)
    const motionId = await openVotedMotion(ph, {})
    const res = await resultOf(ph, motionId)
    expect(res.body.sealed).toBe(false)
    expect(res.body.counts).toEqual([
      { key: 'yes', units: 1, coefficient: '30.000000000' },
      { key: 'no', units: 0, coefficient: '0.000000000' },
      { key: 'abstain', units: 0, coefficient: '0.000000000' },
    ])
    expect(await looksAt(motionId)).toEqual([
      { actor: ph.admin.userId, data: { view: 'result', status: 'open', sealed: false } },
    ])
  })

  it('audits a recount asked for while the motion is open, which is refused', async () => {
    const ph = await t.createPh()
    const motionId = await openVotedMotion(ph, { secret: true })
    const res = await t.send('GET', ph.path(`/motions/${motionId}/recount`), undefined, ph.admin)
    expect([res.status, res.body.error.code]).toEqual([409, 'motion_not_closed'])
    expect(await looksAt(motionId)).toEqual([
      { actor: ph.admin.userId, data: { view: 'recount', status: 'open', sealed: true } },
    ])
  })

  it('does not audit reading the result of a closed motion', async () => {
    const ph = await t.createPh()
    const { motionId } = await t.closedMotion(ph)
    const res = await t.send('GET', ph.path(`/motions/${motionId}/result`), undefined, ph.admin)
    expect(res.body.outcome).toBe('approved')
    expect(await looksAt(motionId)).toEqual([])
  })

  it('names the export file after the PH, the date and the motion', async () => {
    const ph = await t.createPh()
    const { motionId } = await t.closedMotion(ph)
    const res = await t.send(
      'GET',
      ph.path(`/motions/${motionId}/exports/votes?lang=en`),
      undefined,
      ph.admin,
    )
    expect(res.status).toBe(200)
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="votes-[a-z0-9-]+-2026-03-14-aprobar-el-presupuesto-2026\.csv"$/,
    )
    expect(res.text.slice(1, 5)).toBe('Unit')
  })
})
