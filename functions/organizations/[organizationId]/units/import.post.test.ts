import { afterAll, beforeAll, describe, expect, it, setDefaultTimeout } from 'bun:test'
import { createAssembly, registerProxy } from '../../../../core/assemblies/index.ts'
import { assemblyInput } from '../../../../core/assemblies/testing.ts'
import { systemActor } from '../../../../core/ph/testing.ts'
import { createTestUser } from '../../../../core/services-testing.ts'
import { createPhTestApp, ROSTER_CSV, type TestPh } from '../_testing.ts'

// A plain `bun test` (without package.json's --timeout) allows 5 s; set-up here creates a database.
setDefaultTimeout(30_000)

let t: Awaited<ReturnType<typeof createPhTestApp>>

beforeAll(async () => {
  t = await createPhTestApp({ BODY_LIMIT_BYTES: String(2 * 1024 * 1024) })
})
afterAll(() => t.services.close())

const importCsv = (
  ph: TestPh,
  body: BodyInit,
  options: { query?: string; type?: string; as?: TestPh['admin'] } = {},
) =>
  t.sendRaw(
    'POST',
    ph.path(`/units/import${options.query ?? ''}`),
    body,
    { 'content-type': options.type ?? 'text/csv' },
    options.as ?? ph.admin,
  )
const unitsOf = async (ph: TestPh) =>
  (await t.send('GET', ph.path('/units?limit=1000'), undefined, ph.admin)).body

describe('POST /api/organizations/:organizationId/units/import: modes', () => {
  it('refuses to replace the roster with a file that leaves out a unit with a proxy, naming it', async () => {
    const ph = await t.createPh()
    await importCsv(ph, ROSTER_CSV)
    const units = (await unitsOf(ph)).units as Array<{
      id: string
      number: string
      owners: Array<{ personId: string }>
    }>
    const assembly = await createAssembly(t.services.db, {
      organizationId: ph.organizationId,
      assembly: assemblyInput(),
      actor: systemActor,
    })
    const unit105 = units.find((unit) => unit.number === '105')!
    await registerProxy(t.services.db, {
      organizationId: ph.organizationId,
      assemblyId: assembly.id,
      grantorUnitId: unit105.id,
      holder: { personId: units[0]!.owners[0]!.personId },
      actor: systemActor,
    })
    const without105 = ROSTER_CSV.split('\n')
      .filter((line) => !line.startsWith('105;'))
      .join('\n')
      .replace('101;F-101;30;', '101;F-101;40;')
    const res = await importCsv(ph, without105, { query: '?mode=replace' })
    expect(res.status).toBe(422)
    expect(res.body.error.details.errors).toEqual([
      expect.objectContaining({ code: 'unit_in_use', value: '105', column: 'unidad' }),
    ])
    expect((await unitsOf(ph)).total).toBe(5)
  })

  it('recognises at once an owner who already has an account, imported into a second PH', async () => {
    const first = await t.createPh()
    await importCsv(first, ROSTER_CSV)
    const bruno = await createTestUser(t.services, { email: 'bruno@example.com' })
    const second = await t.createPh()
    const before = await t.send('GET', second.path('/units'), undefined, bruno)
    expect(before.status).toBe(404)
    await importCsv(second, ROSTER_CSV, { query: '?mode=replace' })
    const after = await t.send('GET', second.path('/units'), undefined, bruno)
    expect(after.status).toBe(200)
    // A person given the email of an account later is linked too; changing it away unlinks.
    const people = (await t.send('GET', second.path('/people?search=Carla'), undefined, second.admin)).body
      .people
    const carla = await createTestUser(t.services, { email: 'carla.nueva@example.com' })
    const patched = await t.send(
      'PATCH',
      second.path(`/people/${people[0].id}`),
      { email: 'carla.nueva@example.com' },
      second.admin,
    )
    expect(patched.body.hasAccount).toBe(true)
    expect((await t.send('GET', second.path('/units'), undefined, carla)).status).toBe(200)
  })

  it('answers 422 naming query.mode for an unknown mode', async () => {
    const ph = await t.createPh()
    const res = await importCsv(ph, ROSTER_CSV, { query: '?mode=merge' })
    expect(res.status).toBe(422)
    expect(JSON.stringify(res.body.error)).toContain('mode')
  })
})

describe('POST /api/organizations/:organizationId/units/import', () => {
  it('imports units and their owners', async () => {
    const ph = await t.createPh()
    const res = await importCsv(ph, ROSTER_CSV)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ applied: true, totals: { units: 5, coefficient: '100.000000000' } })
    expect((await unitsOf(ph)).totalCoefficient).toBe('100.000000000')
  })

  it('announces the change once the import is written', async () => {
    const ph = await t.createPh()
    const watch = await t.watchChanges(ph.organizationId)
    await importCsv(ph, ROSTER_CSV)
    // New owners: both who may vote and who belongs to the PH change.
    expect(await watch.seen()).toMatchObject({
      kinds: ['membership', 'roster'],
      factsChanged: true,
      membershipChanged: true,
    })
  })

  it('shows in a dry run what would change, and writes nothing', async () => {
    const ph = await t.createPh(ROSTER_CSV)
    const changed = ROSTER_CSV.replace('101;F-101;30', '101;F-101;29').replace('105;F-105;10', '105;F-105;11')
    const res = await importCsv(ph, changed, { query: '?dryRun=true' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ dryRun: true, applied: false, created: [] })
    expect(res.body.updated).toEqual([
      expect.objectContaining({
        number: '101',
        changes: [{ field: 'coefficient', from: '30.000000000', to: '29.000000000' }],
      }),
      expect.objectContaining({
        number: '105',
        changes: [{ field: 'coefficient', from: '10.000000000', to: '11.000000000' }],
      }),
    ])
    const stored = (await unitsOf(ph)).units.find((unit: { number: string }) => unit.number === '101')
    expect(stored.coefficient).toBe('30.000000000')
  })

  it('announces nothing for a dry run', async () => {
    const ph = await t.createPh()
    const watch = await t.watchChanges(ph.organizationId)
    await importCsv(ph, ROSTER_CSV, { query: '?dryRun=true' })
    expect(await watch.seen()).toMatchObject({ kinds: [], factsChanged: false, membershipChanged: false })
  })

  it('refuses a bad file with every error by line and column, and changes nothing', async () => {
    const ph = await t.createPh(ROSTER_CSV)
    const bad = ROSTER_CSV.replace('102;F-102;25', '102;F-102;veinte').replace('6123-4567', '12')
    const res = await importCsv(ph, bad)
    expect(res.status).toBe(422)
    expect(res.body.error.code).toBe('import_invalid')
    expect(res.body.error.details.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ line: 2, column: 'telefono', code: 'invalid_phone' }),
        expect.objectContaining({ line: 3, column: 'coeficiente', code: 'invalid_coefficient' }),
      ]),
    )
    expect((await unitsOf(ph)).units.map((unit: { coefficient: string }) => unit.coefficient)).toEqual([
      '30.000000000',
      '25.000000000',
      '20.000000000',
      '15.000000000',
      '10.000000000',
    ])
  })

  it('reports the errors of a bad file in a dry run', async () => {
    const ph = await t.createPh()
    const res = await importCsv(ph, 'unidad;coeficiente;propietario\n1;100;\n', { query: '?dryRun=true' })
    expect(res.status).toBe(200)
    expect(res.body.applied).toBe(false)
    expect(res.body.errors).toEqual([
      expect.objectContaining({ line: 2, column: 'propietario', code: 'missing_value' }),
    ])
  })

  it('takes text/plain, a BOM, commas and decimal points', async () => {
    const ph = await t.createPh()
    const res = await importCsv(ph, '\uFEFFunit,coefficient,owner\nA,60.5,Uno\nB,39.5,Dos\n', {
      type: 'text/plain',
    })
    expect(res.status).toBe(200)
    expect(res.body.created.map((unit: { coefficient: string }) => unit.coefficient)).toEqual([
      '60.500000000',
      '39.500000000',
    ])
  })

  it('imports 5,000 units in seconds', async () => {
    const ph = await t.createPh()
    const rows = Array.from(
      { length: 5000 },
      (_, i) => `U${i + 1};0,02;Propietario ${i + 1};p${i + 1}@example.com;sí`,
    )
    const csv = ['unidad;coeficiente;propietario;correo;al día', ...rows].join('\n')
    const started = performance.now()
    const res = await importCsv(ph, csv)
    expect(res.status).toBe(200)
    expect(res.body.after).toEqual({ units: 5000, coefficient: '100.000000000' })
    expect(performance.now() - started).toBeLessThan(15_000)
  }, 30_000)

  it('answers 415 for a body that is not CSV text', async () => {
    const ph = await t.createPh()
    const res = await importCsv(ph, ROSTER_CSV, { type: 'application/octet-stream' })
    expect(res.status).toBe(415)
    expect(res.body.error.code).toBe('unsupported_media_type')
  })

  it('answers 413 for a streamed file over the body limit', async () => {
    const ph = await t.createPh()
    const chunk = new TextEncoder().encode(`${'x'.repeat(1023)}\n`)
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 3 * 1024 * 1024) return controller.close()
        sent += chunk.byteLength
        controller.enqueue(chunk)
      },
    })
    const res = await importCsv(ph, stream)
    expect(res.status).toBe(413)
    expect(sent).toBeLessThan(3 * 1024 * 1024)
  })

  it('does not let check-in staff import', async () => {
    const ph = await t.createPh()
    const res = await importCsv(ph, ROSTER_CSV, { as: ph.staff })
    expect(res.status).toBe(403)
  })
})
