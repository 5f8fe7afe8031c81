import { describe, expect, it } from 'bun:test'
import { motionPhForTests } from '../../motions/_testing.ts'

const { t, ph } = motionPhForTests()

const board = (user = ph.admin, query = '') =>
  t.send('GET', ph.path(`/assemblies/${ph.assemblyId}/board${query}`), undefined, user)

describe('GET /api/organizations/:organizationId/assemblies/:assemblyId/board', () => {
  it('lists every unit with its presence and no vote column while no motion is open', async () => {
    const reply = await board()
    expect(reply.status).toBe(200)
    expect(reply.body.motion).toBeNull()
    const byNumber = Object.fromEntries(reply.body.units.map((u: { number: string }) => [u.number, u]))
    expect(Object.keys(byNumber).sort()).toEqual(['1A', '1B', '2A', '2B', '3A'])
    expect(byNumber['1A']).toMatchObject({ presence: 'in_person', floor: '1', tower: null, voted: null })
    expect(byNumber['1B'].presence).toBe('remote')
    expect(byNumber['2A']).toMatchObject({ presence: 'proxy', attendee: 'Apoderada Uno', floor: '2' })
    expect(byNumber['3A']).toMatchObject({ presence: 'absent', attendee: null })
    expect(byNumber['3A'].owners.length).toBe(1)
  })

  it('says which units voted on the open secret motion, and nothing of how', async () => {
    const motionId = await t.createMotion(ph, { title: 'Elegir junta', secret: true })
    await t.openMotion(ph, motionId)
    const voted = await t.vote(ph, motionId, ph.holder, [{ unit: '2A', options: ['yes'] }])
    expect(voted.status).toBe(200)
    const reply = await board()
    expect(reply.status).toBe(200)
    expect(reply.body.motion).toMatchObject({ id: motionId, secret: true })
    const votedUnits = reply.body.units
      .filter((u: { voted: boolean }) => u.voted)
      .map((u: { number: string }) => u.number)
    expect(votedUnits).toEqual(['2A'])
    expect(reply.text).not.toContain('"yes"')
    expect(reply.text).not.toContain('optionKeys')
    await t.closeMotion(ph, motionId)
    // Asked for by id, the closed motion still shows who voted.
    const after = await board(ph.admin, `?motionId=${motionId}`)
    expect(after.body.units.find((u: { number: string }) => u.number === '2A').voted).toBe(true)
    expect(after.body.units.find((u: { number: string }) => u.number === '1A').voted).toBe(false)
  })

  it('is for the desk and the administrator only (an outsider is not told the PH exists)', async () => {
    expect((await board(ph.owners['1A'])).status).toBe(403)
    expect((await board(ph.outsider)).status).toBe(404)
  })

  it('answers 404 for an unknown assembly or motion, and names a malformed motion id', async () => {
    const unknown = await t.send(
      'GET',
      ph.path(`/assemblies/${crypto.randomUUID()}/board`),
      undefined,
      ph.admin,
    )
    expect(unknown.status).toBe(404)
    expect((await board(ph.admin, `?motionId=${crypto.randomUUID()}`)).status).toBe(404)
    const bad = await board(ph.admin, '?motionId=nope')
    expect(bad.status).toBe(422)
    expect(bad.text).toContain('motionId')
  })
})
