import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createMotionTestApp, type Ph, SETUP_TIMEOUT_MS } from '../_testing.ts'

/* A vote that closes after the quorum was lost says so in its frozen result (issue #13 part 5). */

let t: Awaited<ReturnType<typeof createMotionTestApp>>

beforeAll(async () => {
  t = await createMotionTestApp()
}, SETUP_TIMEOUT_MS)
afterAll(() => t.services.close(), SETUP_TIMEOUT_MS)

const checkOut = (ph: Ph, units: string[]) =>
  t.send(
    'POST',
    ph.path(`/assemblies/${ph.assemblyId}/attendance/check-out`),
    { unitIds: units.map((unit) => ph.scenario.unit(unit)) },
    ph.admin,
  )

describe('closing a vote after the quorum was lost', () => {
  it('records quorumLostDuringVote in the result, blocks the next opening, and a recount still matches', async () => {
    const ph = await t.createPh()
    const motionId = await t.createMotion(ph)
    await t.openMotion(ph, motionId)
    expect((await t.vote(ph, motionId, ph.owners['1A'], [{ unit: '1A', options: ['yes'] }])).status).toBe(200)
    // 1A (30 %) and 1B (25 %) leave: 35 % present, no quorum.
    expect((await checkOut(ph, ['1A', '1B'])).status).toBe(200)
    const quorum = await t.send('GET', ph.path(`/assemblies/${ph.assemblyId}/quorum`), undefined, ph.admin)
    expect(quorum.body.reached).toBe(false)
    const closed = await t.closeMotion(ph, motionId)
    expect(closed.status).toBe(200)
    expect(closed.body.result.totals.quorumLostDuringVote).toBe(true)
    const recount = await t.send('GET', ph.path(`/motions/${motionId}/recount`), undefined, ph.admin)
    expect(recount.body.matches).toBe(true)

    const next = await t.createMotion(ph, { title: 'Otra moción' })
    const refused = await t.send('POST', ph.path(`/motions/${next}/open`), undefined, ph.admin)
    expect([refused.status, refused.body.error.code]).toEqual([409, 'quorum_not_reached'])
  })

  it('leaves the result unmarked when the quorum held', async () => {
    const ph = await t.createPh()
    const { motionId } = await t.closedMotion(ph)
    const result = await t.send('GET', ph.path(`/motions/${motionId}/result`), undefined, ph.admin)
    expect(result.status).toBe(200)
    expect(result.body.totals.quorumLostDuringVote).toBeUndefined()
  })
})
