import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createMotionTestApp, type Ph, SETUP_TIMEOUT_MS } from '../_testing.ts'

/*
 * The vote path authorizes from a per-process cache of the assembly's voting facts. Every change of
 * who may vote (fees, owners, proxies, attendance) must reach it at once: these tests warm the cache
 * with a vote, make the change through the API, and check that the very next vote sees it. (Counting
 * announcements would pass even if they reached nothing.)
 */

let t: Awaited<ReturnType<typeof createMotionTestApp>>

beforeAll(async () => {
  t = await createMotionTestApp()
}, SETUP_TIMEOUT_MS)
afterAll(() => t.services.close(), SETUP_TIMEOUT_MS)

/** A PH of its own with an open motion, and a first vote of 1A's owner that loads the cache. */
async function warmed(majorityRule = 'simple'): Promise<{ ph: Ph; motionId: string }> {
  const ph = await t.createPh()
  const motionId = await t.createMotion(ph, { majorityRule, requiresQuorum: false })
  await t.openMotion(ph, motionId)
  const first = await t.vote(ph, motionId, ph.owners['1A'], [{ unit: '1A', options: ['yes'] }])
  expect(first.status).toBe(200)
  return { ph, motionId }
}

const refusalOf = (reply: { body: { error?: { details?: { rejected?: { code: string }[] } } } }) =>
  reply.body.error?.details?.rejected?.map((refusal) => refusal.code)

describe('a change of voting facts reaches the next vote at once', () => {
  it('a unit marked behind on fees (PATCH unit) is refused under an eligible-only rule', async () => {
    const { ph, motionId } = await warmed('ley284-art35-first-call')
    const changed = await t.send(
      'PATCH',
      ph.path(`/units/${ph.scenario.unit('1A')}`),
      { upToDate: false },
      ph.admin,
    )
    expect(changed.status).toBe(200)
    const again = await t.vote(ph, motionId, ph.owners['1A'], [{ unit: '1A', options: ['no'] }])
    expect(again.status).toBe(403)
    expect(refusalOf(again)).toEqual(['not_up_to_date'])
  })

  it('a unit marked behind on fees in bulk (POST units/up-to-date) is refused too', async () => {
    const { ph, motionId } = await warmed('ley284-art35-first-call')
    const changed = await t.send(
      'POST',
      ph.path('/units/up-to-date'),
      { units: ['1A'], upToDate: false },
      ph.admin,
    )
    expect(changed.status).toBe(200)
    const again = await t.vote(ph, motionId, ph.owners['1A'], [{ unit: '1A', options: ['no'] }])
    expect(refusalOf(again)).toEqual(['not_up_to_date'])
  })

  it('an owner replaced as representative (PUT owners) may no longer vote the unit, the new one may', async () => {
    const { ph, motionId } = await warmed()
    const changed = await t.send(
      'PUT',
      ph.path(`/units/${ph.scenario.unit('1A')}/owners`),
      { owners: [{ personId: ph.owners['1B'].personId, isRepresentative: true }] },
      ph.admin,
    )
    expect(changed.status).toBe(200)
    const former = await t.vote(ph, motionId, ph.owners['1A'], [{ unit: '1A', options: ['no'] }])
    // No longer a person with a unit in the PH: refused (403), or not even a member any more (404).
    expect([403, 404]).toContain(former.status)
    const successor = await t.vote(ph, motionId, ph.owners['1B'], [{ unit: '1A', options: ['no'] }])
    expect(successor.status).toBe(200)
  })

  it('a revoked proxy stops its holder at once', async () => {
    const { ph, motionId } = await warmed()
    const holderFirst = await t.vote(ph, motionId, ph.holder, [{ unit: '2A', options: ['yes'] }])
    expect(holderFirst.status).toBe(200)
    const listed = await t.send('GET', ph.path(`/assemblies/${ph.assemblyId}/proxies`), undefined, ph.admin)
    const proxy = listed.body.proxies.find(
      (row: { grantorUnitId: string; status: string }) =>
        row.grantorUnitId === ph.scenario.unit('2A') && row.status === 'active',
    )
    const revoked = await t.send(
      'POST',
      ph.path(`/assemblies/${ph.assemblyId}/proxies/${proxy.id}/revoke`),
      { reason: 'Revocado por el propietario' },
      ph.admin,
    )
    expect(revoked.status).toBe(200)
    const again = await t.vote(ph, motionId, ph.holder, [{ unit: '2A', options: ['no'] }])
    expect(again.status).toBe(403)
    expect(refusalOf(again)).toEqual(['not_authorized'])
  })

  it('an absent unit checked in at the desk may vote at once', async () => {
    const { ph, motionId } = await warmed()
    const absent = await t.vote(ph, motionId, ph.owners['3A'], [{ unit: '3A', options: ['yes'] }])
    expect(refusalOf(absent)).toEqual(['not_present'])
    const checkedIn = await t.send(
      'POST',
      ph.path(`/assemblies/${ph.assemblyId}/attendance/check-in`),
      { personId: ph.owners['3A'].personId, mode: 'in_person' },
      ph.admin,
    )
    expect(checkedIn.status).toBe(200)
    const present = await t.vote(ph, motionId, ph.owners['3A'], [{ unit: '3A', options: ['yes'] }])
    expect(present.status).toBe(200)
  })
})
