import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { and, asc, eq } from 'drizzle-orm'
import { createAssembly, registerProxy } from '../../../core/assemblies/index.ts'
import { assemblyInput } from '../../../core/assemblies/testing.ts'
import { systemActor } from '../../../core/ph/testing.ts'
import { auditLog } from '../../../db/schema/index.ts'
import { createPhTestApp, type RosterPh } from './_testing.ts'

// A plain `bun test` (without package.json's --timeout) allows 5 s; set-up here creates a database.
setDefaultTimeout(30_000)

let t: Awaited<ReturnType<typeof createPhTestApp>>
let ph: RosterPh
let unitIds: RosterPh['unitIds']
let owners: RosterPh['owners']

beforeAll(async () => {
  t = await createPhTestApp()
  ph = await t.createRosterPh()
  ;({ owners, unitIds } = ph)
})
afterAll(() => t.services.close())

describe('POST /api/organizations/:organizationId/units', () => {
  it('creates a unit, storing the coefficient exactly', async () => {
    const res = await t.send(
      'POST',
      ph.path('/units'),
      { number: '201', coefficient: '8,5', finca: 'F-201' },
      ph.admin,
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      number: '201',
      coefficient: '8.500000000',
      finca: 'F-201',
      upToDate: true,
    })
  })

  it('announces the change, since the totals of the quorum move', async () => {
    const watch = await t.watchChanges(ph.organizationId)
    await t.send('POST', ph.path('/units'), { number: '202', coefficient: '1' }, ph.admin)
    expect(await watch.seen()).toMatchObject({
      kinds: ['roster'],
      factsChanged: true,
      membershipChanged: false,
    })
  })

  it('answers 409 for a number the PH has, whatever its case', async () => {
    await t.send('POST', ph.path('/units'), { number: '3B', coefficient: '1' }, ph.admin)
    const res = await t.send('POST', ph.path('/units'), { number: '3b', coefficient: '1' }, ph.admin)
    expect(res.status).toBe(409)
    expect(res.body.error).toMatchObject({ code: 'already_exists', details: { field: 'number' } })
  })

  it('answers 422 for a coefficient that is not a positive decimal', async () => {
    const res = await t.send('POST', ph.path('/units'), { number: '299', coefficient: 'mucho' }, ph.admin)
    expect(res.status).toBe(422)
    expect(res.body.error.details[0].field).toBe('coefficient')
  })

  it('does not let check-in staff create units', async () => {
    const res = await t.send('POST', ph.path('/units'), { number: '298', coefficient: '1' }, ph.staff)
    expect(res.status).toBe(403)
  })
})

describe('GET, PATCH and DELETE /api/organizations/:organizationId/units/:unitId', () => {
  it('shows a unit to an owner', async () => {
    const owner = await t.signInAs(owners['103']!)
    const res = await t.send('GET', ph.path(`/units/${unitIds['101']}`), undefined, owner)
    expect(res.status).toBe(200)
    // Other tests change the fee flag: the owner sees what the administrator sees.
    const asAdmin = await t.send('GET', ph.path(`/units/${unitIds['101']}`), undefined, ph.admin)
    expect(res.body).toEqual(asAdmin.body)
    expect(res.body).toMatchObject({ number: '101', coefficient: '30.000000000' })
  })

  it('answers 404 for a unit of no PH', async () => {
    const res = await t.send('GET', ph.path(`/units/${crypto.randomUUID()}`), undefined, ph.admin)
    expect(res.status).toBe(404)
  })

  // That the change reaches the vote path at once: motions/[motionId]/facts-change.test.ts.
  it('changes the given fields', async () => {
    const res = await t.send(
      'PATCH',
      ph.path(`/units/${unitIds['105']}`),
      { upToDate: false, finca: null },
      ph.admin,
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      number: '105',
      upToDate: false,
      finca: null,
      coefficient: '10.000000000',
    })
  })

  it('deletes a unit that never took part in an assembly', async () => {
    const created = await t.send('POST', ph.path('/units'), { number: '301', coefficient: '1' }, ph.admin)
    const res = await t.send('DELETE', ph.path(`/units/${created.body.id}`), undefined, ph.admin)
    expect(res.status).toBe(200)
    expect((await t.send('GET', ph.path(`/units/${created.body.id}`), undefined, ph.admin)).status).toBe(404)
  })

  it('answers 409 when deleting a unit that has a proxy', async () => {
    const { organizationId } = ph
    const assembly = await createAssembly(t.services.db, {
      organizationId,
      assembly: assemblyInput(),
      actor: systemActor,
    })
    await registerProxy(t.services.db, {
      organizationId,
      assemblyId: assembly.id,
      grantorUnitId: unitIds['104']!,
      holder: { personId: owners['102']! },
      actor: systemActor,
    })
    const res = await t.send('DELETE', ph.path(`/units/${unitIds['104']}`), undefined, ph.admin)
    expect(res.status).toBe(409)
    expect(res.body.error).toMatchObject({ code: 'unit_in_use', details: { proxies: 1 } })
  })
})

describe('POST /api/organizations/:organizationId/units/up-to-date', () => {
  it('sets the flag of units named by id or by number', async () => {
    // Both behind on fees first, whatever other tests did to them.
    await t.send('POST', ph.path('/units/up-to-date'), { units: ['101', '105'], upToDate: false }, ph.admin)
    const res = await t.send(
      'POST',
      ph.path('/units/up-to-date'),
      { units: [unitIds['101'], '105'], upToDate: true },
      ph.admin,
    )
    expect(res.status).toBe(200)
    expect(res.body.matched).toBe(2)
    expect(res.body.changed.map((unit: { number: string }) => unit.number).sort()).toEqual(['101', '105'])
    expect(
      (await t.send('GET', ph.path(`/units/${unitIds['101']}`), undefined, ph.admin)).body.upToDate,
    ).toBe(true)
  })

  it('changes nothing when one reference matches no unit', async () => {
    const res = await t.send(
      'POST',
      ph.path('/units/up-to-date'),
      { units: ['102', '999'], upToDate: false },
      ph.admin,
    )
    expect(res.status).toBe(422)
    expect(res.body.error).toMatchObject({ code: 'unknown_units', details: { unknown: ['999'] } })
    expect(
      (await t.send('GET', ph.path(`/units/${unitIds['102']}`), undefined, ph.admin)).body.upToDate,
    ).toBe(true)
  })

  it('takes a list of units in arrears and makes every other unit up to date, all at once', async () => {
    await t.send('POST', ph.path('/units/up-to-date'), { units: ['101'], upToDate: false }, ph.admin)
    const res = await t.send(
      'POST',
      ph.path('/units/up-to-date'),
      { units: ['102', '103'], upToDate: false, othersOpposite: true },
      ph.admin,
    )
    expect(res.status).toBe(200)
    const list = await t.send('GET', ph.path('/units?limit=1000'), undefined, ph.admin)
    const behind = list.body.units
      .filter((unit: { upToDate: boolean }) => !unit.upToDate)
      .map((unit: { number: string }) => unit.number)
    expect(behind).toEqual(['102', '103'])
    await t.send('POST', ph.path('/units/up-to-date'), { units: ['102', '103'], upToDate: true }, ph.admin)
  })

  it('announces nothing when no flag changes', async () => {
    const watch = await t.watchChanges(ph.organizationId)
    await t.send('POST', ph.path('/units/up-to-date'), { units: ['102'], upToDate: true }, ph.admin)
    expect(await watch.seen()).toMatchObject({ kinds: [], factsChanged: false })
  })
})

describe('POST /api/organizations/:organizationId/units/:unitId/up-to-date (desk)', () => {
  it('lets desk staff mark a unit up to date, and records who, when and why in the audit log', async () => {
    await t.send('POST', ph.path('/units/up-to-date'), { units: ['104'], upToDate: false }, ph.admin)
    const res = await t.send(
      'POST',
      ph.path(`/units/${unitIds['104']}/up-to-date`),
      { reason: 'recibo 778 mostrado en la mesa' },
      ph.staff,
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ number: '104', upToDate: true })
    const rows = await t.services.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.organizationId, ph.organizationId), eq(auditLog.action, 'unit.up_to_date')))
      .orderBy(asc(auditLog.id))
    expect(rows.at(-2)).toMatchObject({
      actorUserId: ph.admin.userId,
      data: { upToDate: false, units: ['104'] },
    })
    expect(rows.at(-1)).toMatchObject({
      actorUserId: ph.staff.userId,
      subject: unitIds['104'],
      data: { upToDate: true, units: ['104'], reason: 'recibo 778 mostrado en la mesa' },
    })
    expect(rows.at(-1)?.at).toBeInstanceOf(Date)
  })

  it('refuses desk staff marking a unit as behind (administrators only)', async () => {
    const res = await t.send(
      'POST',
      ph.path(`/units/${unitIds['104']}/up-to-date`),
      { upToDate: false },
      ph.staff,
    )
    expect(res.status).toBe(403)
    expect(
      (await t.send('GET', ph.path(`/units/${unitIds['104']}`), undefined, ph.admin)).body.upToDate,
    ).toBe(true)
  })
})

describe('owners of a unit', () => {
  it('lists the owner of an imported unit as its representative', async () => {
    const res = await t.send('GET', ph.path(`/units/${unitIds['102']}/owners`), undefined, ph.staff)
    expect(res.status).toBe(200)
    expect(res.body.owners).toEqual([
      expect.objectContaining({ personId: owners['102'], fullName: 'Bruno Díaz', isRepresentative: true }),
    ])
  })

  it("shows staff the owners' contact details and hides them from other owners", async () => {
    const path = ph.path(`/units/${unitIds['102']}/owners`)
    const staffView = await t.send('GET', path, undefined, ph.staff)
    const owner = await t.signInAs(owners['103']!)
    const ownerView = await t.send('GET', path, undefined, owner)
    expect(ownerView.status).toBe(200)
    expect(staffView.body.owners[0].email).not.toBeNull()
    expect(ownerView.body.owners[0]).toMatchObject({
      fullName: 'Bruno Díaz',
      email: null,
      phone: null,
      documentId: null,
    })
  })

  it('replaces the owners with co-owners, representative first', async () => {
    // Unit 105: the other tests read 102's and 103's owners as imported.
    const coOwner = await t.send('POST', ph.path('/people'), { fullName: 'Zoe Vega' }, ph.admin)
    const res = await t.send(
      'PUT',
      ph.path(`/units/${unitIds['105']}/owners`),
      {
        owners: [
          { personId: owners['105'], isRepresentative: false },
          { personId: coOwner.body.id, isRepresentative: true, since: '2024-01-15T00:00:00.000Z' },
        ],
      },
      ph.admin,
    )
    expect(res.status).toBe(200)
    expect(
      res.body.owners.map((owner: { fullName: string; isRepresentative: boolean }) => [
        owner.fullName,
        owner.isRepresentative,
      ]),
    ).toEqual([
      ['Zoe Vega', true],
      ['Elena Vega', false],
    ])
  })

  it('answers 422 unless exactly one owner represents the unit', async () => {
    const res = await t.send(
      'PUT',
      ph.path(`/units/${unitIds['103']}/owners`),
      {
        owners: [
          { personId: owners['103'], isRepresentative: true },
          { personId: owners['101'], isRepresentative: true },
        ],
      },
      ph.admin,
    )
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('invalid_representative')
  })

  it('answers 404 for a person of another PH', async () => {
    const other = await t.createRosterPh()
    const stranger = other.owners['101']
    const res = await t.send(
      'PUT',
      ph.path(`/units/${unitIds['103']}/owners`),
      {
        owners: [{ personId: stranger, isRepresentative: true }],
      },
      ph.admin,
    )
    expect(res.status).toBe(404)
  })
})
