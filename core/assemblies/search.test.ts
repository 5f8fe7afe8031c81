import { beforeAll, describe, expect, it } from 'bun:test'
import { updatePerson } from '../ph/people.ts'
import { checkIn } from './attendance.ts'
import { registerProxy } from './proxies.ts'
import { searchAttendees } from './search.ts'
import {
  type AssemblyFixture,
  appDatabaseForTests,
  appErrorOf,
  createAssemblyFixture,
  systemActor,
} from './testing.ts'

const handle = appDatabaseForTests()
let fixture: AssemblyFixture

const actor = systemActor

beforeAll(async () => {
  fixture = await createAssemblyFixture(handle.db, {
    units: [
      ['1A', '25', 'María Pérez'],
      ['1B', '25', 'José Núñez'],
      ['10A', '25', 'Ana Gómez'],
      ['2A', '25', 'Luis 50% Real'],
    ],
  })
  await updatePerson(handle.db, {
    organizationId: fixture.organizationId,
    personId: fixture.personIds['José Núñez']!,
    changes: { email: 'jose.nunez@example.com', documentId: '8-765-4321' },
    actor,
  })
  await registerProxy(handle.db, {
    organizationId: fixture.organizationId,
    assemblyId: fixture.assembly.id,
    grantorUnitId: fixture.unitIds['10A']!,
    holder: { person: { fullName: 'Licda. Patricia Arosemena' } },
    actor,
  })
  await checkIn(handle.db, {
    organizationId: fixture.organizationId,
    assemblyId: fixture.assembly.id,
    personId: fixture.personIds['María Pérez']!,
    mode: 'in_person',
    actor,
  })
})

async function find(query: string) {
  const matches = await searchAttendees(handle.db, {
    organizationId: fixture.organizationId,
    assemblyId: fixture.assembly.id,
    query,
  })
  return matches.map((match) => match.number)
}

describe('searchAttendees', () => {
  it.each([
    ['a unit number prefix', '1', ['10A', '1A', '1B']],
    ['a unit number in another case', '1a', ['1A']],
    ['an owner name without accents', 'perez', ['1A']],
    ['an owner name in capitals with accents', 'NÚÑEZ', ['1B']],
    ['part of an email', 'jose.nunez@', ['1B']],
    ['a document id without dashes', '87654321', ['1B']],
    ['a proxy holder’s name', 'arosemena', ['10A']],
    ['a literal percent sign', '%', ['2A']],
    ['nothing that matches', 'zzz', []],
    ['an empty query', '   ', []],
  ])('finds units by %s', async (_name, query, numbers) => {
    expect(await find(query)).toEqual(numbers)
  })

  it('shows owners, the active proxy and the open attendance of each unit', async () => {
    const [unit10A] = await searchAttendees(handle.db, {
      organizationId: fixture.organizationId,
      assemblyId: fixture.assembly.id,
      query: '10A',
    })
    const [unit1A] = await searchAttendees(handle.db, {
      organizationId: fixture.organizationId,
      assemblyId: fixture.assembly.id,
      query: 'María',
    })
    expect([
      unit10A?.owners.map((owner) => [owner.fullName, owner.isRepresentative]),
      unit10A?.proxy?.holderName,
      unit10A?.attendance,
      unit1A?.attendance?.mode,
    ]).toEqual([[['Ana Gómez', true]], 'Licda. Patricia Arosemena', null, 'in_person'])
  })

  it('answers 404 for an unknown assembly', async () => {
    const error = await appErrorOf(() =>
      searchAttendees(handle.db, {
        organizationId: fixture.organizationId,
        assemblyId: crypto.randomUUID(),
        query: '1',
      }),
    )
    expect(error.status).toBe(404)
  })
})
