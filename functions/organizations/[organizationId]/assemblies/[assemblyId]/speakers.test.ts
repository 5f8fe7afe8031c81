import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { loadAssemblySnapshot } from '../../../../../core/assemblies/live-snapshot.ts'
import { createMotionTestApp, type Ph, SETUP_TIMEOUT_MS } from '../../motions/_testing.ts'

/*
 * The speaker queue (issue #13): owners present ask to speak on the current agenda item, the
 * administrator gives the floor one at a time, and the live snapshot shows who speaks and who is next.
 * Each test builds its own PH, so they pass in any order.
 */

let t: Awaited<ReturnType<typeof createMotionTestApp>>
beforeAll(async () => {
  t = await createMotionTestApp()
}, SETUP_TIMEOUT_MS)
afterAll(() => t.services.close(), SETUP_TIMEOUT_MS)

/** A PH in progress whose meeting is on its first agenda item ("Presupuesto 2027"). */
async function phOnItem(): Promise<Ph & { items: string[] }> {
  const ph = await t.createPh()
  const agenda = ph.path(`/assemblies/${ph.assemblyId}/agenda`)
  await t.send('POST', agenda, { title: 'Presupuesto 2027' }, ph.admin)
  const items = (await t.send('POST', agenda, { title: 'Varios' }, ph.admin)).body.items.map(
    (item: { id: string }) => item.id,
  )
  await t.send('PUT', ph.path(`/assemblies/${ph.assemblyId}/agenda-cursor`), { itemId: items[0] }, ph.admin)
  return { ...ph, items }
}

const speakers = (ph: Ph, rest = '') => ph.path(`/assemblies/${ph.assemblyId}/speakers${rest}`)
const ask = (ph: Ph, user: Parameters<typeof t.send>[3]) => t.send('POST', speakers(ph), undefined, user)
const act = (ph: Ph, requestId: string, action: string, user: Parameters<typeof t.send>[3] = ph.admin) =>
  t.send('PATCH', speakers(ph, `/${requestId}`), { action }, user)
const queue = async (ph: Ph, user: Parameters<typeof t.send>[3] = ph.admin) =>
  (await t.send('GET', speakers(ph), undefined, user)).body

describe('asking to speak', () => {
  it('queues present owners and proxy holders in arrival order, with the units they attend for', async () => {
    const ph = await phOnItem()
    const first = await ask(ph, ph.owners['1B'])
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ status: 'waiting', unitNumbers: ['1B'], agendaItemId: ph.items[0] })
    await ask(ph, ph.holder)
    await ask(ph, ph.owners['1A'])
    const list = await queue(ph)
    expect(list.requests.map((r: { unitNumbers: string[] }) => r.unitNumbers.join('+'))).toEqual([
      '1B',
      '2A+2B',
      '1A',
    ])
    expect(list.requests[1].name).toBe('Apoderada Uno')
    expect((await queue(ph, ph.holder)).mine).toMatchObject({ status: 'waiting' })
    expect((await queue(ph, ph.owners['3A'])).mine).toBeNull()
  })

  it('refuses an owner who is not present (409 speaker_not_present) and someone with no person in the PH', async () => {
    const ph = await phOnItem()
    const absent = await ask(ph, ph.owners['3A'])
    expect([absent.status, absent.body.error.code]).toEqual([409, 'speaker_not_present'])
    expect((await ask(ph, ph.admin)).status).toBe(403)
    expect((await queue(ph)).requests).toEqual([])
  })

  it('refuses a second open request on the same item, and allows one again after withdrawing', async () => {
    const ph = await phOnItem()
    expect((await ask(ph, ph.owners['1A'])).status).toBe(200)
    const twice = await ask(ph, ph.owners['1A'])
    expect([twice.status, twice.body.error.code]).toEqual([409, 'already_requested'])
    const withdrawn = await t.send('POST', speakers(ph, '/withdraw'), undefined, ph.owners['1A'])
    expect(withdrawn.body.status).toBe('withdrawn')
    const again = await t.send('POST', speakers(ph, '/withdraw'), undefined, ph.owners['1A'])
    expect([again.status, again.body.error.code]).toEqual([409, 'request_not_waiting'])
    expect((await ask(ph, ph.owners['1A'])).status).toBe(200)
    expect((await queue(ph)).requests.map((r: { status: string }) => r.status)).toEqual([
      'waiting',
      'withdrawn',
    ])
  })

  it('refuses asking when no agenda item is current (409 no_agenda_item)', async () => {
    const ph = await t.createPh()
    const reply = await ask(ph, ph.owners['1A'])
    expect([reply.status, reply.body.error.code]).toEqual([409, 'no_agenda_item'])
  })

  it('a new agenda item has its own queue: the same owner may ask again there', async () => {
    const ph = await phOnItem()
    await ask(ph, ph.owners['1A'])
    await t.send(
      'PUT',
      ph.path(`/assemblies/${ph.assemblyId}/agenda-cursor`),
      { itemId: ph.items[1] },
      ph.admin,
    )
    expect((await ask(ph, ph.owners['1A'])).body.agendaItemId).toBe(ph.items[1])
    const first = await t.send('GET', speakers(ph, `?agendaItemId=${ph.items[0]}`), undefined, ph.admin)
    expect(first.body.requests).toHaveLength(1)
  })
})

describe('giving the floor', () => {
  it('one speaker at a time: the floor to the next ends the current; the snapshot shows now and next', async () => {
    const ph = await phOnItem()
    const a = (await ask(ph, ph.owners['1A'])).body.id
    const b = (await ask(ph, ph.owners['1B'])).body.id
    const c = (await ask(ph, ph.holder)).body.id
    expect((await act(ph, a, 'floor')).body.status).toBe('speaking')
    let snapshot = await loadAssemblySnapshot(t.services.db, ph.organizationId, ph.assemblyId)
    expect(snapshot?.speakers?.now).toMatchObject({ units: ['1A'] })
    expect(snapshot?.speakers?.next.map((s) => s.units.join('+'))).toEqual(['1B', '2A+2B'])
    expect((await act(ph, b, 'floor')).body.status).toBe('speaking')
    const list = await queue(ph)
    expect(list.requests.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      [a, 'done'],
      [b, 'speaking'],
      [c, 'waiting'],
    ])
    expect((await act(ph, c, 'skip')).body.status).toBe('skipped')
    expect((await act(ph, b, 'end')).body.status).toBe('done')
    snapshot = await loadAssemblySnapshot(t.services.db, ph.organizationId, ph.assemblyId)
    expect(snapshot?.speakers).toEqual({ now: null, next: [], waiting: 0 })
  })

  it('refuses acting on a request in the wrong state', async () => {
    const ph = await phOnItem()
    const a = (await ask(ph, ph.owners['1A'])).body.id
    const end = await act(ph, a, 'end')
    expect([end.status, end.body.error.code]).toEqual([409, 'not_speaking'])
    await act(ph, a, 'floor')
    const again = await act(ph, a, 'floor')
    expect([again.status, again.body.error.code]).toEqual([409, 'request_not_waiting'])
    const withdraw = await t.send('POST', speakers(ph, '/withdraw'), undefined, ph.owners['1A'])
    expect(withdraw.status).toBe(409)
  })

  it('only the PH administrator moderates; another PH cannot touch the queue', async () => {
    const ph = await phOnItem()
    const other = await phOnItem()
    const a = (await ask(ph, ph.owners['1A'])).body.id
    expect((await act(ph, a, 'floor', ph.owners['1A'])).status).toBe(403)
    // Another PH's administrator: that PH is unknown to them (404, as for every tenant route).
    expect((await act(ph, a, 'floor', other.admin)).status).toBe(404)
    // PH B's admin aiming PH A's request through PH B's own assembly path.
    const crossed = await t.send('PATCH', speakers(other, `/${a}`), { action: 'floor' }, other.admin)
    expect(crossed.status).toBe(404)
    expect((await ask(ph, other.owners['1A'])).status).toBe(404)
    expect((await queue(ph)).requests.map((r: { status: string }) => r.status)).toEqual(['waiting'])
    const bad = await t.send('PATCH', speakers(ph, `/${a}`), { action: 'shout' }, ph.admin)
    expect(bad.status).toBe(422)
  })
})
