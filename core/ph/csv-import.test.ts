import { beforeAll, describe, expect, it } from 'bun:test'
import { and, asc, eq } from 'drizzle-orm'
import { ownerships, people, units } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { formatCoefficient } from '../decimal.ts'
import { distributeCoefficients } from '../rules/coefficients.ts'
import { type ImportReport, importUnits } from './csv-import.ts'
import { appDatabaseForTests, appErrorOf, createTestOrganization, systemActor } from './testing.ts'

const handle = appDatabaseForTests()

const HEADER = 'Unidad;Finca;Coeficiente;Propietario;Correo;Teléfono;Al día'
const ROSTER = [
  HEADER,
  '1A;F-100;25,5;Ana Pérez;ana@example.com;6123-4567;sí',
  '1B;F-101;24,5;Luis Mora;;;',
  '2A;F-102;30;Ana Pérez;ana@example.com;;x',
  '2B;F-103;20;"Castillo, Eva";eva@example.com;+507 6999-0000;1',
].join('\n')

async function newPh() {
  return (await createTestOrganization(handle.db)).id
}

function run(organizationId: string, csv: string, dryRun = false): Promise<ImportReport> {
  return importUnits(handle.db, { organizationId, csv, dryRun, actor: systemActor })
}

// Everything an import may touch, in a stable order, to prove that nothing changed.
function snapshot(organizationId: string) {
  return withTenant(handle.db, organizationId, async (db) => ({
    units: await db
      .select()
      .from(units)
      .where(eq(units.organizationId, organizationId))
      .orderBy(asc(units.number)),
    people: await db
      .select()
      .from(people)
      .where(eq(people.organizationId, organizationId))
      .orderBy(asc(people.id)),
    ownerships: await db
      .select()
      .from(ownerships)
      .where(eq(ownerships.organizationId, organizationId))
      .orderBy(asc(ownerships.id)),
  }))
}

function ownersOf(organizationId: string, number: string) {
  return withTenant(handle.db, organizationId, (db) =>
    db
      .select({ fullName: people.fullName, isRepresentative: ownerships.isRepresentative })
      .from(ownerships)
      .innerJoin(units, eq(units.id, ownerships.unitId))
      .innerJoin(people, eq(people.id, ownerships.personId))
      .where(and(eq(units.organizationId, organizationId), eq(units.number, number)))
      .orderBy(asc(people.fullName)),
  )
}

describe('importUnits: a first import', () => {
  let organizationId: string
  let report: ImportReport
  beforeAll(async () => {
    organizationId = await newPh()
    report = await run(organizationId, ROSTER)
  })

  it('creates every unit with its exact coefficient and flags', async () => {
    const { units: stored } = await snapshot(organizationId)
    expect(stored.map((unit) => [unit.number, unit.finca, unit.coefficient, unit.upToDate])).toEqual([
      ['1A', 'F-100', '25.500000000', true],
      ['1B', 'F-101', '24.500000000', false],
      ['2A', 'F-102', '30.000000000', true],
      ['2B', 'F-103', '20.000000000', true],
    ])
  })

  it('creates one person per owner, matching rows by email', async () => {
    const { people: stored } = await snapshot(organizationId)
    expect(stored.map((person) => person.fullName).sort()).toEqual([
      'Ana Pérez',
      'Castillo, Eva',
      'Luis Mora',
    ])
  })

  it('makes each owner the representative of their units', async () => {
    expect(await ownersOf(organizationId, '2A')).toEqual([{ fullName: 'Ana Pérez', isRepresentative: true }])
  })

  it('stores phones in E.164', async () => {
    const { people: stored } = await snapshot(organizationId)
    expect(stored.find((person) => person.fullName === 'Ana Pérez')?.phone).toBe('+50761234567')
  })

  it('reports the created units and the totals', () => {
    expect([report.applied, report.created.map((unit) => unit.number), report.totals]).toEqual([
      true,
      ['1A', '1B', '2A', '2B'],
      { units: 4, coefficient: '100.000000000' },
    ])
  })
})

describe('importUnits: importing again', () => {
  it('changes nothing when the file is the same', async () => {
    const organizationId = await newPh()
    await run(organizationId, ROSTER)
    const before = await snapshot(organizationId)
    const report = await run(organizationId, ROSTER)
    expect([report.created.length, report.updated.length, report.unchanged.length]).toEqual([0, 0, 4])
    expect(await snapshot(organizationId)).toEqual(before)
  })

  it('updates units matched by number and lists each change', async () => {
    const organizationId = await newPh()
    await run(organizationId, ROSTER)
    const changed = ROSTER.replace('1B;F-101;24,5;Luis Mora;;;', '1b;F-101-A;24,5;Luis Mora;;;si')
      .replace('2A;F-102;30;', '2A;F-102;29;')
      .replace('2B;F-103;20;', '2B;F-103;21;')
    const report = await run(organizationId, changed)
    expect(report.updated.map((unit) => [unit.number, unit.changes])).toEqual([
      [
        '1b',
        [
          { field: 'number', from: '1B', to: '1b' },
          { field: 'finca', from: 'F-101', to: 'F-101-A' },
          { field: 'upToDate', from: false, to: true },
        ],
      ],
      ['2A', [{ field: 'coefficient', from: '30.000000000', to: '29.000000000' }]],
      ['2B', [{ field: 'coefficient', from: '20.000000000', to: '21.000000000' }]],
    ])
    const { units: stored } = await snapshot(organizationId)
    expect(stored.find((unit) => unit.number === '1b')).toMatchObject({ finca: 'F-101-A', upToDate: true })
  })

  it('keeps the unit id when the number is updated', async () => {
    const organizationId = await newPh()
    const first = await run(organizationId, ROSTER)
    expect(first.created.length).toBe(4)
    const before = (await snapshot(organizationId)).units.find((unit) => unit.number === '1B')
    await run(organizationId, ROSTER.replace('1B;', '1b;'))
    const after = (await snapshot(organizationId)).units.find((unit) => unit.number === '1b')
    expect(after?.id).toBe(before!.id)
  })

  it('replaces the owners of a unit that changed hands', async () => {
    const organizationId = await newPh()
    await run(organizationId, ROSTER)
    const report = await run(
      organizationId,
      ROSTER.replace('1B;F-101;24,5;Luis Mora', '1B;F-101;24,5;Rosa Díaz'),
    )
    expect(report.updated.map((unit) => unit.changes)).toEqual([
      [{ field: 'owner', from: 'Luis Mora', to: 'Rosa Díaz' }],
    ])
    expect(await ownersOf(organizationId, '1B')).toEqual([{ fullName: 'Rosa Díaz', isRepresentative: true }])
  })

  it('matches an owner without email by name, whatever the case', async () => {
    const organizationId = await newPh()
    await run(organizationId, ROSTER)
    const report = await run(
      organizationId,
      ROSTER.replace('1B;F-101;24,5;Luis Mora', '1B;F-101;24,5;LUIS  MORA'),
    )
    expect([report.people.created.length, report.updated[0]?.changes]).toEqual([0, undefined])
    expect(report.people.updated.map((person) => person.changes)).toEqual([
      [{ field: 'fullName', from: 'Luis Mora', to: 'LUIS MORA' }],
    ])
  })

  it('never leaves the PH at 150 %: an update that would is refused and changes nothing', async () => {
    const organizationId = await newPh()
    await run(organizationId, ROSTER)
    const before = await snapshot(organizationId)
    const shorter = [HEADER, '1A;F-100;50;Ana Pérez;ana@example.com;;', '1B;F-101;50;Luis Mora;;;'].join('\n')
    const dry = await run(organizationId, shorter, true)
    expect(dry.missing.map((unit) => unit.number).sort()).toEqual(['2A', '2B'])
    expect(dry.after).toEqual({ units: 4, coefficient: '150.000000000' })
    expect(dry.errors).toEqual([
      expect.objectContaining({ code: 'sum_after_mismatch', value: '150.000000000', line: null }),
    ])
    const error = await appErrorOf(() => run(organizationId, shorter))
    expect(error).toMatchObject({ status: 422, code: 'import_invalid' })
    expect(await snapshot(organizationId)).toEqual(before)
  })

  it('updates some units when the PH still sums to 100 %', async () => {
    const organizationId = await newPh()
    await run(organizationId, ROSTER)
    const some = [
      HEADER,
      '2A;F-102;29;Ana Pérez;ana@example.com;;x',
      '2B;F-103;21;"Castillo, Eva";eva@example.com;;1',
    ].join('\n')
    const report = await run(organizationId, some)
    expect(report.applied).toBe(true)
    expect(report.after).toEqual({ units: 4, coefficient: '100.000000000' })
    expect((await snapshot(organizationId)).units).toHaveLength(4)
  })

  it('replaces the roster: units the file leaves out are deleted', async () => {
    const organizationId = await newPh()
    await run(organizationId, ROSTER)
    const shorter = [HEADER, '1A;F-100;50;Ana Pérez;ana@example.com;;', '1B;F-101;50;Luis Mora;;;'].join('\n')
    const report = await importUnits(handle.db, {
      organizationId,
      csv: shorter,
      mode: 'replace',
      actor: systemActor,
    })
    expect(report.removed.map((unit) => unit.number).sort()).toEqual(['2A', '2B'])
    expect(report.after).toEqual({ units: 2, coefficient: '100.000000000' })
    expect((await snapshot(organizationId)).units.map((unit) => unit.number)).toEqual(['1A', '1B'])
  })

  it('replace refuses a file that sums to other than 100 %, whatever the PH holds', async () => {
    const organizationId = await newPh()
    const half = [HEADER, '1A;F-100;50;Ana Pérez;;;'].join('\n')
    const error = await appErrorOf(() =>
      importUnits(handle.db, { organizationId, csv: half, mode: 'replace', actor: systemActor }),
    )
    expect(error).toMatchObject({ status: 422, code: 'import_invalid' })
    expect((await snapshot(organizationId)).units).toHaveLength(0)
  })

  it('imports co-owners with their representative and cédulas, and matches people by cédula next time', async () => {
    const organizationId = await newPh()
    const csv = [
      'Unidad;Coeficiente;Propietario;Cédula;Correo;Copropietarios',
      '1A;60;Ana Pérez;8-123-456;;Eva Castillo <eva@example.com> | Juan Ríos',
      '1B;40;Luis Mora;;;',
    ].join('\n')
    await importUnits(handle.db, { organizationId, csv, mode: 'replace', actor: systemActor })
    expect(await ownersOf(organizationId, '1A')).toEqual([
      { fullName: 'Ana Pérez', isRepresentative: true },
      { fullName: 'Eva Castillo', isRepresentative: false },
      { fullName: 'Juan Ríos', isRepresentative: false },
    ])
    const renamed = csv.replace('Ana Pérez;8-123-456', 'Ana M. Pérez;8 123 456').replace(' | Juan Ríos', '')
    const report = await importUnits(handle.db, {
      organizationId,
      csv: renamed,
      mode: 'replace',
      actor: systemActor,
    })
    expect(report.people.created).toEqual([])
    expect(report.people.updated.map((person) => person.fullName)).toEqual(['Ana M. Pérez'])
    expect(await ownersOf(organizationId, '1A')).toEqual([
      { fullName: 'Ana M. Pérez', isRepresentative: true },
      { fullName: 'Eva Castillo', isRepresentative: false },
    ])
  })
})

describe('importUnits: dry run', () => {
  it('writes nothing', async () => {
    const organizationId = await newPh()
    const before = await snapshot(organizationId)
    const report = await run(organizationId, ROSTER, true)
    expect([report.dryRun, report.applied, report.created.length]).toEqual([true, false, 4])
    expect(await snapshot(organizationId)).toEqual(before)
  })

  it('reports the same changes the real import makes', async () => {
    const organizationId = await newPh()
    await run(organizationId, ROSTER)
    const changed = ROSTER.replace('2A;F-102;30;', '2A;F-102;29;').replace('2B;F-103;20;', '2B;F-103;21;')
    const dry = await run(organizationId, changed, true)
    const real = await run(organizationId, changed)
    expect({ ...dry, dryRun: false, applied: true }).toEqual(real)
  })

  it('returns the errors of a bad file instead of throwing', async () => {
    const organizationId = await newPh()
    const report = await run(organizationId, `${ROSTER}\n3A;F-104;1;Eva;;;`, true)
    expect(report.errors.map((error) => error.code)).toEqual(['sum_after_mismatch'])
  })
})

describe('importUnits: all or nothing', () => {
  const bad = [
    HEADER,
    '1A;F-100;25,5;Ana Pérez;ana@example.com;;',
    '1B;F-101;24,5;Luis Mora;luis@;;',
    '2A;F-102;50;Eva;;;',
  ].join('\n')

  it('throws 422 import_invalid with every error by line and column', async () => {
    const organizationId = await newPh()
    const error = await appErrorOf(() => run(organizationId, bad))
    expect([error.status, error.code]).toEqual([422, 'import_invalid'])
    expect(
      (error.details as ImportReport).errors.map((problem) => [problem.line, problem.column, problem.code]),
    ).toEqual([[3, 'Correo', 'invalid_email']])
  })

  it('leaves the PH exactly as it was', async () => {
    const organizationId = await newPh()
    await run(organizationId, ROSTER)
    const before = await snapshot(organizationId)
    expect([before.units.length, before.people.length, before.ownerships.length]).toEqual([4, 3, 4])
    await appErrorOf(() => run(organizationId, bad))
    expect(await snapshot(organizationId)).toEqual(before)
  })

  it('answers 404 for an unknown PH', async () => {
    const error = await appErrorOf(() => run(crypto.randomUUID(), ROSTER))
    expect([error.status, error.code]).toEqual([404, 'not_found'])
  })
})

describe('importUnits: a large PH', () => {
  it('imports 5,000 units and then updates them all', async () => {
    const organizationId = await newPh()
    const count = 5000
    const shares = distributeCoefficients(Array.from({ length: count }, (_, i) => 50 + (i % 7) * 10))
    const file = (upToDate: string) =>
      [
        HEADER,
        ...shares.map((share, i) => {
          const coefficient = formatCoefficient(share).replace('.', ',')
          return `T${i + 1};F-${10_000 + i};${coefficient};Owner ${i};owner${i}@example.com;6${String(1_000_000 + i)};${upToDate}`
        }),
      ].join('\n')
    const started = performance.now()
    const created = await run(organizationId, file('sí'))
    const createdMs = performance.now() - started
    const again = performance.now()
    const updated = await run(organizationId, file('no'))
    const updatedMs = performance.now() - again
    console.log(
      `import of ${count} units (${handle.kind}): created in ${createdMs.toFixed(0)} ms, updated in ${updatedMs.toFixed(0)} ms`,
    )
    expect([created.created.length, updated.updated.length, updated.totals.coefficient]).toEqual([
      count,
      count,
      '100.000000000',
    ])
  }, 120_000)
})
