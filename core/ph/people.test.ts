import { beforeAll, describe, expect, it } from 'bun:test'
import { withPlatformScope } from '../../db/tenant.ts'
import { addPerson, addProxy, createScenario } from '../motions/testing.ts'
import { listUnitOwners, setUnitOwners } from './ownerships.ts'
import {
  createPerson,
  deletePerson,
  getPerson,
  listPeople,
  type PersonInput,
  peopleUsage,
  updatePerson,
} from './people.ts'
import { appDatabaseForTests, appErrorOf, createTestOrganization, systemActor } from './testing.ts'
import { createUnit } from './units.ts'

const handle = appDatabaseForTests()
let organizationId: string

beforeAll(async () => {
  organizationId = (await createTestOrganization(handle.db)).id
})

const person = (input: PersonInput) =>
  createPerson(handle.db, { organizationId, person: input, actor: systemActor })
const unit = (number: string) =>
  createUnit(handle.db, { organizationId, unit: { number, coefficient: '1' }, actor: systemActor })

describe('people', () => {
  it('normalizes email and phone', async () => {
    const created = await person({
      fullName: ' Ana  Pérez ',
      email: 'ANA@Example.com',
      phone: '6123-4567',
      documentId: '8-123-456',
    })
    expect([created.fullName, created.email, created.phone, created.documentId]).toEqual([
      'Ana  Pérez',
      'ana@example.com',
      '+50761234567',
      '8-123-456',
    ])
  })

  it.each([
    ['an invalid email', { fullName: 'A', email: 'nope' }, 'email'],
    ['an implausible phone', { fullName: 'A', phone: '12' }, 'phone'],
    ['no name', { fullName: '' }, 'fullName'],
  ])('answers 422 for %s', async (_name, input, field) => {
    const error = await appErrorOf(() => person(input))
    expect([error.status, error.details]).toEqual([422, [expect.objectContaining({ field })]])
  })

  it('finds people by part of their name, email or document id', async () => {
    const org = (await createTestOrganization(handle.db)).id
    for (const fullName of ['Rosa Díaz', 'Pedro Ruiz', 'Rosario Vega']) {
      await createPerson(handle.db, { organizationId: org, person: { fullName }, actor: systemActor })
    }
    const found = await listPeople(handle.db, { organizationId: org, search: 'ros' })
    expect(found.map((p) => p.fullName)).toEqual(['Rosa Díaz', 'Rosario Vega'])
  })

  it('treats % in a search as a literal character', async () => {
    expect(await listPeople(handle.db, { organizationId, search: '%' })).toEqual([])
  })

  it('updates fields and clears the phone with null', async () => {
    const created = await person({ fullName: 'Luis', phone: '61234567' })
    const updated = await updatePerson(handle.db, {
      organizationId,
      personId: created.id,
      changes: { phone: null },
      actor: systemActor,
    })
    expect(updated.phone).toBeNull()
  })

  it('deletes a person who owns nothing', async () => {
    const created = await person({ fullName: 'Temporal' })
    await deletePerson(handle.db, { organizationId, personId: created.id, actor: systemActor })
    expect(await getPerson(handle.db, { organizationId, personId: created.id })).toBeNull()
  })

  it('answers 409 person_in_use when deleting an owner', async () => {
    const owner = await person({ fullName: 'Dueña' })
    const owned = await unit('P-1')
    await setUnitOwners(handle.db, {
      organizationId,
      unitId: owned.id,
      owners: [{ personId: owner.id, isRepresentative: true }],
      actor: systemActor,
    })
    const error = await appErrorOf(() =>
      deletePerson(handle.db, { organizationId, personId: owner.id, actor: systemActor }),
    )
    expect([error.status, error.code]).toEqual([409, 'person_in_use'])
  })
})

describe('peopleUsage', () => {
  it('counts the units a person owns and the proxies they hold, as deletion checks them', async () => {
    const { scenario, holder, stranger } = await withPlatformScope(handle.db, async (tx) => {
      const scenario = await createScenario(tx, { units: [{ number: '1A', coefficient: '100' }] })
      const holder = await addPerson(tx, scenario, 'Apoderado')
      await addProxy(tx, scenario, { unitNumber: '1A', holderPersonId: holder })
      return { scenario, holder, stranger: await addPerson(tx, scenario, 'De Paso') }
    })
    const { organizationId: scoped } = scenario
    const owner = scenario.owner('1A')
    const usage = await peopleUsage(handle.db, {
      organizationId: scoped,
      personIds: [owner, holder, stranger],
    })
    expect([usage.get(owner), usage.get(holder), usage.get(stranger)]).toEqual([
      { ownerships: 1, proxies: 0 },
      { ownerships: 0, proxies: 1 },
      { ownerships: 0, proxies: 0 },
    ])
    const error = await appErrorOf(() =>
      deletePerson(handle.db, { organizationId: scoped, personId: holder, actor: systemActor }),
    )
    expect([error.status, error.code, error.details]).toEqual([409, 'person_in_use', usage.get(holder)])
  })
})

describe('setUnitOwners', () => {
  it('stores co-owners with their representative first', async () => {
    const owned = await unit('Q-1')
    const [a, b] = [await person({ fullName: 'Ana Co' }), await person({ fullName: 'Beto Co' })]
    const owners = await setUnitOwners(handle.db, {
      organizationId,
      unitId: owned.id,
      owners: [
        { personId: a.id, isRepresentative: false },
        { personId: b.id, isRepresentative: true },
      ],
      actor: systemActor,
    })
    expect(owners.map((owner) => [owner.fullName, owner.isRepresentative])).toEqual([
      ['Beto Co', true],
      ['Ana Co', false],
    ])
  })

  it('replaces the previous owners', async () => {
    const owned = await unit('Q-2')
    const [a, b] = [await person({ fullName: 'Vendedor' }), await person({ fullName: 'Comprador' })]
    const set = (personId: string) =>
      setUnitOwners(handle.db, {
        organizationId,
        unitId: owned.id,
        owners: [{ personId, isRepresentative: true }],
        actor: systemActor,
      })
    await set(a.id)
    await set(b.id)
    expect(
      (await listUnitOwners(handle.db, { organizationId, unitId: owned.id })).map((owner) => owner.fullName),
    ).toEqual(['Comprador'])
  })

  it.each([
    ['no representative', [false, false], 0],
    ['two representatives', [true, true], 2],
  ])('answers 422 invalid_representative with %s', async (_name, flags, representatives) => {
    const owned = await unit(`R-${representatives}`)
    const owners = [await person({ fullName: 'Uno' }), await person({ fullName: 'Dos' })].map((p, i) => ({
      personId: p.id,
      isRepresentative: flags[i]!,
    }))
    const error = await appErrorOf(() =>
      setUnitOwners(handle.db, { organizationId, unitId: owned.id, owners, actor: systemActor }),
    )
    expect([error.status, error.code, error.details]).toEqual([
      422,
      'invalid_representative',
      { representatives },
    ])
  })

  it('answers 404 for a person of another PH', async () => {
    const owned = await unit('S-1')
    const other = (await createTestOrganization(handle.db)).id
    const stranger = await createPerson(handle.db, {
      organizationId: other,
      person: { fullName: 'Ajeno' },
      actor: systemActor,
    })
    const error = await appErrorOf(() =>
      setUnitOwners(handle.db, {
        organizationId,
        unitId: owned.id,
        owners: [{ personId: stranger.id, isRepresentative: true }],
        actor: systemActor,
      }),
    )
    expect([error.status, error.details]).toEqual([404, { resource: 'Person' }])
  })
})
