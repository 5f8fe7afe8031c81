import { beforeAll, describe, expect, it } from 'bun:test'
import { assemblies, attendance } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { getQuorumPreset } from '../rules/presets.ts'
import { appDatabaseForTests, appErrorOf, createTestOrganization, systemActor } from './testing.ts'
import {
  createUnit,
  deleteUnit,
  getUnit,
  listUnits,
  setUnitsUpToDate,
  summarizeCoefficients,
  type UnitInput,
  updateUnit,
} from './units.ts'

const handle = appDatabaseForTests()
let organizationId: string

beforeAll(async () => {
  organizationId = (await createTestOrganization(handle.db)).id
})

const create = (unit: UnitInput, org = organizationId) =>
  createUnit(handle.db, { organizationId: org, unit, actor: systemActor })

describe('createUnit', () => {
  it('stores the coefficient exactly, accepting a decimal comma', async () => {
    const unit = await create({ number: 'C-1', finca: '30412', coefficient: '8,333333333' })
    expect([unit.coefficient, unit.finca, unit.upToDate]).toEqual(['8.333333333', '30412', true])
  })

  it.each([
    ['the same number', 'D-1'],
    ['the same number in another case', 'd-1'],
  ])('answers 409 naming the number for %s', async (_name, number) => {
    await create({ number: 'D-1', coefficient: '1' }).catch(() => undefined)
    const error = await appErrorOf(() => create({ number, coefficient: '1' }))
    expect([error.status, error.code, error.details]).toEqual([409, 'already_exists', { field: 'number' }])
  })

  it('allows the same number in another PH', async () => {
    const other = await createTestOrganization(handle.db)
    await create({ number: 'E-1', coefficient: '1' })
    expect((await create({ number: 'E-1', coefficient: '1' }, other.id)).number).toBe('E-1')
  })

  it.each([
    ['a negative coefficient', { number: 'X-1', coefficient: '-1' }, 'coefficient'],
    ['a zero coefficient', { number: 'X-2', coefficient: '0' }, 'coefficient'],
    ['too many decimals', { number: 'X-3', coefficient: '1.0000000001' }, 'coefficient'],
    ['text as coefficient', { number: 'X-4', coefficient: 'ocho' }, 'coefficient'],
    ['a blank number', { number: ' ', coefficient: '1' }, 'number'],
  ])('answers 422 for %s', async (_name, unit, field) => {
    const error = await appErrorOf(() => create(unit))
    expect([error.status, error.details]).toEqual([422, [expect.objectContaining({ field })]])
  })
})

describe('getUnit and listUnits', () => {
  it('returns null for a unit of another PH', async () => {
    const other = await createTestOrganization(handle.db)
    const foreign = await create({ number: 'F-1', coefficient: '1' }, other.id)
    expect(await getUnit(handle.db, { organizationId, unitId: foreign.id })).toBeNull()
  })

  it('lists only the PH’s own units, by number', async () => {
    const org = await createTestOrganization(handle.db)
    for (const number of ['2', '10', '1']) await create({ number, coefficient: '1' }, org.id)
    expect((await listUnits(handle.db, { organizationId: org.id })).map((unit) => unit.number)).toEqual([
      '1',
      '10',
      '2',
    ])
  })
})

describe('summarizeCoefficients', () => {
  it.each([
    [['60', '40'], true, '100.000000000'],
    [['60', '30'], false, '90.000000000'],
  ])('%p adds up to 100: %p', async (coefficients, ok, total) => {
    const org = await createTestOrganization(handle.db)
    for (const [i, coefficient] of coefficients.entries())
      await create({ number: String(i), coefficient }, org.id)
    expect(await summarizeCoefficients(handle.db, { organizationId: org.id })).toMatchObject({
      ok,
      total,
      units: 2,
    })
  })
})

describe('updateUnit', () => {
  it('changes the given fields only', async () => {
    const unit = await create({ number: 'G-1', finca: '1', coefficient: '2' })
    const updated = await updateUnit(handle.db, {
      organizationId,
      unitId: unit.id,
      changes: { upToDate: false, coefficient: '2.5' },
      actor: systemActor,
    })
    expect([updated.number, updated.finca, updated.coefficient, updated.upToDate]).toEqual([
      'G-1',
      '1',
      '2.500000000',
      false,
    ])
  })

  it('answers 409 when renumbering onto another unit', async () => {
    await create({ number: 'H-1', coefficient: '1' })
    const unit = await create({ number: 'H-2', coefficient: '1' })
    const error = await appErrorOf(() =>
      updateUnit(handle.db, {
        organizationId,
        unitId: unit.id,
        changes: { number: 'h-1' },
        actor: systemActor,
      }),
    )
    expect([error.status, error.details]).toEqual([409, { field: 'number' }])
  })

  it('answers 404 for a unit of another PH', async () => {
    const other = await createTestOrganization(handle.db)
    const foreign = await create({ number: 'I-1', coefficient: '1' }, other.id)
    const error = await appErrorOf(() =>
      updateUnit(handle.db, {
        organizationId,
        unitId: foreign.id,
        changes: { upToDate: false },
        actor: systemActor,
      }),
    )
    expect(error.status).toBe(404)
  })
})

describe('deleteUnit', () => {
  it('deletes a unit that never attended', async () => {
    const unit = await create({ number: 'J-1', coefficient: '1' })
    await deleteUnit(handle.db, { organizationId, unitId: unit.id, actor: systemActor })
    expect(await getUnit(handle.db, { organizationId, unitId: unit.id })).toBeNull()
  })

  it('answers 409 unit_in_use for a unit with attendance', async () => {
    const unit = await create({ number: 'J-2', coefficient: '1' })
    await withTenant(handle.db, organizationId, async (db) => {
      const [assembly] = await db
        .insert(assemblies)
        .values({
          organizationId,
          number: 1,
          title: 'Asamblea',
          kind: 'ordinary',
          modality: 'in_person',
          firstCallAt: new Date(),
          quorumRule: getQuorumPreset('bylaws-coefficient-any-present')!,
        })
        .returning()
      await db
        .insert(attendance)
        .values({ organizationId, assemblyId: assembly!.id, unitId: unit.id, mode: 'in_person' })
    })
    const error = await appErrorOf(() =>
      deleteUnit(handle.db, { organizationId, unitId: unit.id, actor: systemActor }),
    )
    expect([error.status, error.code]).toEqual([409, 'unit_in_use'])
    expect(await getUnit(handle.db, { organizationId, unitId: unit.id })).not.toBeNull()
  })
})

describe('setUnitsUpToDate', () => {
  it('updates units named by number or id and reports which changed', async () => {
    const org = (await createTestOrganization(handle.db)).id
    const a = await create({ number: 'K-1', coefficient: '1' }, org)
    await create({ number: 'K-2', coefficient: '1', upToDate: false }, org)
    await create({ number: 'K-3', coefficient: '1' }, org)
    const result = await setUnitsUpToDate(handle.db, {
      organizationId: org,
      units: [a.id, 'k-2'],
      upToDate: false,
      actor: systemActor,
    })
    expect([result.matched, result.changed.map((unit) => unit.number)]).toEqual([2, ['K-1']])
    const flags = (await listUnits(handle.db, { organizationId: org })).map((unit) => [
      unit.number,
      unit.upToDate,
    ])
    expect(flags).toEqual([
      ['K-1', false],
      ['K-2', false],
      ['K-3', true],
    ])
  })

  it('changes nothing and answers 422 listing unknown units', async () => {
    const org = (await createTestOrganization(handle.db)).id
    await create({ number: 'L-1', coefficient: '1' }, org)
    const error = await appErrorOf(() =>
      setUnitsUpToDate(handle.db, {
        organizationId: org,
        units: ['L-1', 'L-9'],
        upToDate: false,
        actor: systemActor,
      }),
    )
    expect([error.status, error.code, error.details]).toEqual([422, 'unknown_units', { unknown: ['L-9'] }])
    expect((await listUnits(handle.db, { organizationId: org }))[0]?.upToDate).toBe(true)
  })
})
