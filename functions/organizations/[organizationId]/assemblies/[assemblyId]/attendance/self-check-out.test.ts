import { describe, expect, it } from 'bun:test'
import { motionPhForTests } from '../../../motions/_testing.ts'

/* Owners and proxy holders leave the meeting themselves (issue #13 part 5). */

const { t, ph } = motionPhForTests()

const leave = (user: Parameters<typeof t.send>[3]) =>
  t.send('POST', ph.path(`/assemblies/${ph.assemblyId}/attendance/self-check-out`), undefined, user)

describe('POST /api/organizations/:organizationId/assemblies/:assemblyId/attendance/self-check-out', () => {
  it('checks out every unit the person attends for, records when, and recomputes the quorum', async () => {
    const holder = await leave(ph.holder)
    expect(holder.status).toBe(200)
    expect(holder.body.checkedOut.map((row: { unitNumber: string }) => row.unitNumber).sort()).toEqual([
      '2A',
      '2B',
    ])
    expect(holder.body.checkedOut.every((row: { checkedOutAt: string | null }) => row.checkedOutAt)).toBe(
      true,
    )
    // 1A (30 %) and 1B (25 %) remain: quorum holds at 55 %.
    expect(holder.body.quorum.reached).toBe(true)
    const owner = await leave(ph.owners['1A'])
    expect(owner.status).toBe(200)
    expect(owner.body.quorum.reached).toBe(false)
    const board = await t.send('GET', ph.path(`/assemblies/${ph.assemblyId}/board`), undefined, ph.admin)
    const presence = Object.fromEntries(
      board.body.units.map((unit: { number: string; presence: string }) => [unit.number, unit.presence]),
    )
    expect(presence).toEqual({
      '1A': 'absent',
      '1B': 'remote',
      '2A': 'absent',
      '2B': 'absent',
      '3A': 'absent',
    })
  })

  it('answers 409 not_checked_in to someone who is not present', async () => {
    const reply = await leave(ph.owners['3A'])
    expect([reply.status, reply.body.error.code]).toEqual([409, 'not_checked_in'])
  })

  it('answers 403 not_an_attendee to staff without a unit', async () => {
    const reply = await leave(ph.admin)
    expect(reply.status).toBe(403)
  })
})
