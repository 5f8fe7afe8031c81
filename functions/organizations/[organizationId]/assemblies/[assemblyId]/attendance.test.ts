import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { createCheckInToken } from '../../../../../core/assemblies/index.ts'
import { createPhTestApp, type RosterPh } from '../../_testing.ts'

/* Roster: 101 30 % (behind on fees), 102 25 %, 103 20 %, 104 15 %, 105 10 %; quorum: more than 50 %. */

// A plain `bun test` (without package.json's --timeout) allows 5 s; set-up here creates a database.
setDefaultTimeout(30_000)

let t: Awaited<ReturnType<typeof createPhTestApp>>
let ph: RosterPh
let owners: RosterPh['owners']
let unitIds: RosterPh['unitIds']

beforeAll(async () => {
  t = await createPhTestApp()
  ph = await t.createRosterPh()
  ;({ owners, unitIds } = ph)
})
afterAll(() => t.services.close())

async function newAssembly(options: Parameters<typeof t.createAssembly>[1] = {}) {
  const assemblyId = await t.createAssembly(ph, { status: 'in_progress', ...options })
  return { assemblyId, path: (rest = '') => ph.path(`/assemblies/${assemblyId}${rest}`) }
}

const checkIn = (path: (rest: string) => string, body: Record<string, unknown>) =>
  t.send('POST', path('/attendance/check-in'), { mode: 'in_person', ...body }, ph.staff)
const present = (body: { byCoefficient: { present: string } }) => body.byCoefficient.present

describe('GET /api/organizations/:organizationId/assemblies/:assemblyId/attendance/search', () => {
  it('finds a unit by its owner’s name without accents, saying who may attend', async () => {
    const { path } = await newAssembly()
    const res = await t.send('GET', path('/attendance/search?q=perez'), undefined, ph.staff)
    expect(res.status).toBe(200)
    expect(res.body.matches).toEqual([
      expect.objectContaining({
        number: '101',
        upToDate: false,
        owners: [expect.objectContaining({ personId: owners['101'], isRepresentative: true })],
        proxy: null,
        attendance: null,
      }),
    ])
  })

  it('shows that a found unit is already present', async () => {
    const { path } = await newAssembly()
    await checkIn(path, { personId: owners['102'] })
    const res = await t.send('GET', path('/attendance/search?q=102'), undefined, ph.staff)
    expect(res.body.matches[0].attendance).toMatchObject({ personId: owners['102'], mode: 'in_person' })
  })

  it('does not let an owner search attendees', async () => {
    const { path } = await newAssembly()
    const owner = await t.signInAs(owners['105']!)
    const res = await t.send('GET', path('/attendance/search?q=1'), undefined, owner)
    expect(res.status).toBe(403)
  })
})

describe('POST /api/organizations/:organizationId/assemblies/:assemblyId/attendance/check-in', () => {
  it('checks a person in for every unit they represent and recomputes the quorum', async () => {
    const { path } = await newAssembly()
    const res = await checkIn(path, { personId: owners['102'] })
    expect(res.status).toBe(200)
    expect(res.body.checkedIn).toEqual([
      expect.objectContaining({ unitNumber: '102', mode: 'in_person', proxyId: null }),
    ])
    expect(res.body.quorum).toMatchObject({ reached: false, byCoefficient: { present: '25.000000000' } })
  })

  it('checks in the person named by a scanned code', async () => {
    const { assemblyId, path } = await newAssembly()
    const owner = await t.signInAs(owners['103']!)
    const code = await t.send('GET', path('/attendance/my-code'), undefined, owner)
    expect(code.body).toMatchObject({ assemblyId, personId: owners['103'], fullName: 'Carla Ruiz' })
    const res = await checkIn(path, { token: code.body.token })
    expect(res.body.checkedIn.map((row: { personId: string }) => row.personId)).toEqual([owners['103']])
  })

  it('answers 400 for a code of another assembly', async () => {
    const first = await newAssembly()
    const second = await newAssembly()
    const owner = await t.signInAs(owners['104']!)
    const code = await t.send('GET', first.path('/attendance/my-code'), undefined, owner)
    const res = await checkIn(second.path, { token: code.body.token })
    expect(res.status).toBe(400)
    expect(res.body.error.code).toBe('invalid_check_in_token')
  })

  it('answers 400 for a code signed with another key', async () => {
    const { assemblyId, path } = await newAssembly()
    const forged = createCheckInToken(new Uint8Array(32).fill(7), { assemblyId, personId: owners['104']! })
    const res = await checkIn(path, { token: forged })
    expect(res.status).toBe(400)
  })

  it.each([
    ['both a person and a code', { personId: crypto.randomUUID(), token: 'x' }],
    ['neither a person nor a code', {}],
  ])('answers 422 for %s', async (_name, body) => {
    const { path } = await newAssembly()
    const res = await checkIn(path, body)
    expect(res.status).toBe(422)
    expect(res.body.error.details[0].field).toBe('body.personId')
  })

  it('answers 422 for a co-owner who does not represent the unit', async () => {
    const { path } = await newAssembly()
    const coOwner = await t.send('POST', ph.path('/people'), { fullName: 'Co Propietaria' }, ph.admin)
    await t.send(
      'PUT',
      ph.path(`/units/${unitIds['105']}/owners`),
      {
        owners: [
          { personId: owners['105'], isRepresentative: true },
          { personId: coOwner.body.id, isRepresentative: false },
        ],
      },
      ph.admin,
    )
    const res = await checkIn(path, { personId: coOwner.body.id })
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('not_representative')
  })

  it('answers 409 when someone else already attends for the unit', async () => {
    const own = await t.createRosterPh()
    const { owners: ownOwners, unitIds: ownUnits } = own
    const assemblyId = await t.createAssembly(own, { status: 'in_progress' })
    const checkInOwn = (personId: string) =>
      t.send(
        'POST',
        own.path(`/assemblies/${assemblyId}/attendance/check-in`),
        { personId, mode: 'in_person' },
        own.staff,
      )
    const heir = await t.send('POST', own.path('/people'), { fullName: 'Heredera Nueva' }, own.admin)
    await checkInOwn(ownOwners['103']!)
    // The unit changes hands while its former owner is in the room.
    await t.send(
      'PUT',
      own.path(`/units/${ownUnits['103']}/owners`),
      {
        owners: [{ personId: heir.body.id, isRepresentative: true }],
      },
      own.admin,
    )
    const res = await checkInOwn(heir.body.id)
    expect(res.status).toBe(409)
    expect(res.body.error).toMatchObject({
      code: 'already_checked_in',
      details: { unitIds: [ownUnits['103']] },
    })
  })

  it('revokes the proxy of a unit whose owner checks in personally', async () => {
    const { path } = await newAssembly()
    const proxy = await t.send(
      'POST',
      path('/proxies'),
      { grantorUnitId: unitIds['104'], holderPersonId: owners['101'] },
      ph.staff,
    )
    await checkIn(path, { personId: owners['101'], unitIds: [unitIds['104']] })
    const res = await checkIn(path, { personId: owners['104'] })
    expect(res.status).toBe(200)
    expect(res.body.revokedProxies).toEqual([
      expect.objectContaining({ proxyId: proxy.body.id, unitNumber: '104', reason: 'owner_checked_in' }),
    ])
    const open = await t.send('GET', path('/attendance?openOnly=true'), undefined, ph.staff)
    expect(open.body.attendance.map((row: { personId: string }) => row.personId)).toEqual([owners['104']])
  })

  it('answers 409 before the assembly is convened', async () => {
    const { path } = await newAssembly({ status: 'draft' })
    const res = await checkIn(path, { personId: owners['102'] })
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('assembly_not_open')
  })

  it('announces every check-in on the assembly', async () => {
    const { assemblyId, path } = await newAssembly()
    const watch = await t.watchChanges(ph.organizationId, assemblyId)
    await checkIn(path, { personId: owners['102'] })
    // Who may vote changed; nobody's roles did, so cached memberships stay.
    expect(await watch.seen()).toEqual({
      kinds: ['attendance'],
      factsChanged: true,
      membershipChanged: false,
      topicWoken: true,
    })
  })
})

describe('POST /api/organizations/:organizationId/assemblies/:assemblyId/attendance/check-out', () => {
  it('lowers the quorum when a unit leaves', async () => {
    const { path } = await newAssembly()
    await checkIn(path, { personId: owners['101'] })
    await checkIn(path, { personId: owners['102'] })
    const res = await t.send('POST', path('/attendance/check-out'), { personId: owners['101'] }, ph.staff)
    expect(res.status).toBe(200)
    expect(res.body.checkedOut[0]).toMatchObject({ unitNumber: '101', checkedOutAt: expect.any(String) })
    expect(present(res.body.quorum)).toBe('25.000000000')
    const live = await t.send('GET', path('/quorum'), undefined, ph.staff)
    expect(live.body).toMatchObject({ reached: false, byCoefficient: { present: '25.000000000' } })
  })

  it('answers 409 for a unit that is not present', async () => {
    const { path } = await newAssembly()
    const res = await t.send('POST', path('/attendance/check-out'), { unitIds: [unitIds['103']] }, ph.staff)
    expect(res.status).toBe(409)
    expect(res.body.error).toMatchObject({ code: 'not_checked_in', details: { unitIds: [unitIds['103']] } })
  })

  it('answers 422 when neither units nor a person are named', async () => {
    const { path } = await newAssembly()
    const res = await t.send('POST', path('/attendance/check-out'), {}, ph.staff)
    expect(res.status).toBe(422)
  })
})

describe('self check-in and my code', () => {
  it('checks the signed-in owner in remotely', async () => {
    const { path } = await newAssembly()
    const owner = await t.signInAs(owners['105']!)
    const res = await t.send('POST', path('/attendance/self-check-in'), undefined, owner)
    expect(res.status).toBe(200)
    expect(res.body.checkedIn).toEqual([expect.objectContaining({ unitNumber: '105', mode: 'remote' })])
    expect(res.body.quorum.remote).toEqual({ units: 1, coefficient: '10.000000000' })
  })

  it('answers 422 for a remote check-in to an in-person assembly', async () => {
    const { path } = await newAssembly({ changes: { modality: 'in_person', meetingUrl: null } })
    const owner = await t.signInAs(owners['104']!)
    const res = await t.send('POST', path('/attendance/self-check-in'), { mode: 'remote' }, owner)
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('mode_not_allowed')
  })

  it('answers 403 to a member who is neither owner nor proxy holder', async () => {
    const { path } = await newAssembly()
    const res = await t.send('POST', path('/attendance/self-check-in'), {}, ph.staff)
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('not_an_attendee')
  })

  it('gives no code to a member who is neither owner nor proxy holder', async () => {
    const { path } = await newAssembly()
    const res = await t.send('GET', path('/attendance/my-code'), undefined, ph.staff)
    expect(res.status).toBe(403)
  })
})

describe('the quorum', () => {
  it('is reached by more than half of the coefficient', async () => {
    const { path } = await newAssembly()
    // 101 (30 %) is in arrears: voice but no vote (the PH default), so the counted coefficient is 70 %.
    // 101, 102 and 105 then hold 35 of 70, exactly half, which is not more than half.
    for (const unit of ['101', '102', '105']) await checkIn(path, { personId: owners[unit] })
    const before = await t.send('GET', path('/quorum'), undefined, ph.staff)
    await checkIn(path, { personId: owners['104'] })
    const after = await t.send('GET', path('/quorum'), undefined, ph.staff)
    expect([before.body.reached, before.body.byCoefficient.percent]).toEqual([false, '50.0000'])
    expect([after.body.reached, after.body.byCoefficient.percent]).toEqual([true, '71.4286'])
    expect(after.body).toMatchObject({
      call: 'first',
      byUnits: { present: 3, total: 4 },
      allUnits: 5,
      unitsInArrears: 1,
      inPerson: { units: 4 },
    })
  })

  it('is shown to an owner', async () => {
    const { path } = await newAssembly()
    const owner = await t.signInAs(owners['102']!)
    const res = await t.send('GET', path('/quorum'), undefined, owner)
    expect(res.status).toBe(200)
    expect(res.body.explanation).toEqual(expect.any(String))
  })

  it('is logged at the start and on every attendance change', async () => {
    const { path } = await newAssembly()
    await checkIn(path, { personId: owners['103'] })
    await t.send('POST', path('/attendance/check-out'), { unitIds: [unitIds['103']] }, ph.staff)
    const res = await t.send('GET', path('/quorum/history'), undefined, ph.staff)
    expect(res.body.entries.map((entry: { presentCoefficient: string }) => entry.presentCoefficient)).toEqual(
      ['0.000000000', '20.000000000', '0.000000000'],
    )
  })
})
