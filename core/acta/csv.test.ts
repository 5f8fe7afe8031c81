import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import type { Database, DatabaseHandle } from '../../db/client.ts'
import { auditLog, organizations, people } from '../../db/schema/index.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { createMotion, openMotion } from '../motions/motions.ts'
import { closeMotion } from '../motions/results.ts'
import {
  addPerson,
  addProxy,
  castAndCommit,
  checkIn,
  checkOut,
  createScenario,
  createTestVotePath,
  type Scenario,
  type TestVotePath,
} from '../motions/testing.ts'
import { exportAttendanceCsv, exportVotesCsv } from './csv.ts'

let handle: DatabaseHandle
let db: Database
let votePath: TestVotePath

beforeAll(async () => {
  handle = await createTestDatabase()
  db = handle.db
  votePath = createTestVotePath(db)
})
afterAll(async () => {
  await votePath.close()
  await handle.close()
})

const actor = { userId: null }
const lines = (csv: string) => {
  expect(csv.charCodeAt(0)).toBe(0xfeff)
  return csv.slice(1).trimEnd().split('\r\n')
}

/** 1A in person, 1B by a proxy holder (remote), 2A in person and gone late at night (Panama time). */
async function building(sealNamedResults = true): Promise<Scenario & { holder: string; slug: string }> {
  const scenario = await createScenario(db, {
    units: [
      { number: '1A', coefficient: '30', finca: '30412' },
      { number: '1B', coefficient: '30', finca: '30413' },
      { number: '2A', coefficient: '40', finca: '30414' },
    ],
  })
  const slug = `torre-mar-${crypto.randomUUID().slice(0, 8)}`
  await db
    .update(organizations)
    .set({ slug, timeZone: 'America/Panama', sealNamedResults })
    .where(eq(organizations.id, scenario.organizationId))
  const holder = await addPerson(db, scenario, 'Marta Apoderada')
  await addProxy(db, scenario, { unitNumber: '1B', holderPersonId: holder })
  await checkIn(db, scenario, '1A', 'in_person', { at: new Date('2026-03-14T13:50:00Z') })
  await checkIn(db, scenario, '1B', 'remote', {
    personId: holder,
    at: new Date('2026-03-14T13:55:00Z'),
  })
  await checkIn(db, scenario, '2A', 'in_person', { at: new Date('2026-03-14T14:00:00Z') })
  return { ...scenario, holder, slug }
}

async function motion(
  scenario: Scenario,
  title: string,
  extra: Partial<Parameters<typeof createMotion>[1]> = {},
) {
  const { organizationId, assemblyId } = scenario
  const created = await createMotion(db, { organizationId, assemblyId, actor, title, ...extra })
  await openMotion(db, { organizationId, motionId: created.id, actor })
  return created.id
}

const vote = (scenario: Scenario, motionId: string, personId: string, number: string, keys: string[]) =>
  castAndCommit(votePath, {
    organizationId: scenario.organizationId,
    motionId,
    actor: { userId: null, personId },
    channel: 'web',
    ballots: [{ unitId: scenario.unit(number), optionKeys: keys }],
  })

const viewsOf = async (motionId: string) =>
  (
    await db
      .select({ data: auditLog.data })
      .from(auditLog)
      .where(and(eq(auditLog.subject, motionId), eq(auditLog.action, 'motion.tally_viewed')))
  ).map((row) => row.data)

describe('attendance CSV', () => {
  it('is headed in Spanish by default, with times in the PH’s zone and a readable name', async () => {
    const scenario = await building()
    // 03:30 UTC on the 15th is 22:30 on the 14th in Panama.
    await checkOut(db, scenario, '2A', new Date('2026-03-15T03:30:00Z'))
    const file = await exportAttendanceCsv(db, scenario)
    expect(file.fileName).toBe(`asistencia-${scenario.slug}-2026-03-14.csv`)
    expect(lines(file.csv)).toEqual([
      'Unidad,Finca,Coeficiente (%),Propietarios,Asistente,Calidad,Modalidad,Entrada (America/Panama),Salida (America/Panama)',
      '1A,30412,30.000000000,Propietario 1A,Propietario 1A,Propietario,Presencial,2026-03-14 08:50:00,',
      '1B,30413,30.000000000,Propietario 1B,Marta Apoderada,Apoderado,Remota,2026-03-14 08:55:00,',
      '2A,30414,40.000000000,Propietario 2A,Propietario 2A,Propietario,Presencial,2026-03-14 09:00:00,2026-03-14 22:30:00',
    ])
  })

  it('is headed in English when asked', async () => {
    const scenario = await building()
    const file = await exportAttendanceCsv(db, { ...scenario, language: 'en' })
    expect(file.fileName).toBe(`attendance-${scenario.slug}-2026-03-14.csv`)
    const [header, first] = lines(file.csv)
    expect(header).toBe(
      'Unit,Finca,Coefficient (%),Owners,Attendee,Capacity,Mode,Checked in (America/Panama),Checked out (America/Panama)',
    )
    expect(first).toBe(
      '1A,30412,30.000000000,Propietario 1A,Propietario 1A,Owner,In person,2026-03-14 08:50:00,',
    )
  })

  it('neutralizes cells a spreadsheet would run as a formula', async () => {
    const scenario = await building()
    const formula = '=HYPERLINK("http://x")'
    await db
      .update(people)
      .set({ fullName: formula })
      .where(eq(people.id, scenario.owner('2A')))
    const { csv } = await exportAttendanceCsv(db, scenario)
    expect(lines(csv)[3]).toStartWith(`2A,30414,40.000000000,"'=HYPERLINK(""http://x"")"`)
  })
})

describe('votes CSV', () => {
  it('lists who voted what on a closed named motion, in Spanish, with the motion in the file name', async () => {
    const scenario = await building()
    const motionId = await motion(scenario, 'Aprobar el presupuesto 2026')
    await vote(scenario, motionId, scenario.owner('1A'), '1A', ['yes'])
    await vote(scenario, motionId, scenario.holder, '1B', ['yes'])
    await vote(scenario, motionId, scenario.owner('2A'), '2A', ['no'])
    await closeMotion(db, { organizationId: scenario.organizationId, motionId, actor })
    const file = await exportVotesCsv(db, { organizationId: scenario.organizationId, motionId })
    expect(file.fileName).toBe(`votaciones-${scenario.slug}-2026-03-14-aprobar-el-presupuesto-2026.csv`)
    const [header, ...rows] = lines(file.csv)
    expect(header).toBe(
      'Unidad,Finca,Coeficiente (%),Al día,Claves,Opciones elegidas,Votó como,Canal,Revisión,Hora del voto (America/Panama),Hash del recibo,Registrado por,Tipo de registro en mesa,Motivo',
    )
    expect(rows.map((row) => row.split(',').slice(0, 8).join(','))).toEqual([
      '1A,30412,30.000000000,Sí,yes,Sí,Propietario,Web',
      '1B,30413,30.000000000,Sí,yes,Sí,Apoderado,Web',
      '2A,30414,40.000000000,Sí,no,No,Propietario,Web',
    ])
    expect(rows[0]!.split(',')[9]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
    expect(await viewsOf(motionId)).toEqual([])
    const english = await exportVotesCsv(db, {
      organizationId: scenario.organizationId,
      motionId,
      language: 'en',
    })
    expect(english.fileName).toStartWith(`votes-${scenario.slug}-2026-03-14-`)
    expect(lines(english.csv)[1]).toStartWith('1A,30412,30.000000000,Yes,yes,Sí,Owner,Web,')
  })

  it('never links a unit to a choice in a secret election: totals, who is elected, receipts', async () => {
    const scenario = await building()
    const options = ['Ana', 'Beto', 'Carla'].map((label) => ({
      key: label.toLowerCase(),
      label,
      kind: 'choice' as const,
    }))
    const motionId = await motion(scenario, 'Junta Directiva', { options, seats: 1, secret: true })
    await vote(scenario, motionId, scenario.owner('1A'), '1A', ['ana'])
    await vote(scenario, motionId, scenario.holder, '1B', ['beto'])
    await vote(scenario, motionId, scenario.owner('2A'), '2A', ['ana'])
    await closeMotion(db, { organizationId: scenario.organizationId, motionId, actor })
    const { csv } = await exportVotesCsv(db, { organizationId: scenario.organizationId, motionId })
    const [header, ...rows] = lines(csv)
    expect(header).toBe('Registro,Clave,Opción,Unidades,Coeficiente (%),Resultado,Hash del recibo')
    // Beto's single voter would be named by a weight: every coefficient is withheld.
    expect(rows.slice(0, 3)).toEqual([
      'opción,ana,Ana,2,,Electo/a,',
      'opción,beto,Beto,1,,No electo/a,',
      'opción,carla,Carla,0,,No electo/a,',
    ])
    expect(rows.filter((row) => row.startsWith('recibo,'))).toHaveLength(3)
    for (const number of ['1A', '1B', '2A', scenario.unit('1A')]) expect(csv).not.toContain(number)
  })

  it('shows a sealed open named motion as receipts only, and audits the look', async () => {
    const scenario = await building(true)
    const motionId = await motion(scenario, 'Pintura')
    await vote(scenario, motionId, scenario.owner('1A'), '1A', ['yes'])
    const { csv } = await exportVotesCsv(db, { organizationId: scenario.organizationId, motionId })
    const [header, ...rows] = lines(csv)
    expect(header).toStartWith('Registro,')
    expect(rows).toHaveLength(1)
    expect(rows[0]).toStartWith('recibo,')
    expect(csv).not.toContain('1A')
    expect(await viewsOf(motionId)).toEqual([{ view: 'export', status: 'open', sealed: true }])
  })

  it('shows an unsealed open named motion in full, and audits the look', async () => {
    const scenario = await building(false)
    const motionId = await motion(scenario, 'Pintura')
    await vote(scenario, motionId, scenario.owner('1A'), '1A', ['yes'])
    const { csv } = await exportVotesCsv(db, { organizationId: scenario.organizationId, motionId })
    expect(lines(csv)[1]).toStartWith('1A,30412,30.000000000,Sí,yes,Sí,')
    expect(await viewsOf(motionId)).toEqual([{ view: 'export', status: 'open', sealed: false }])
  })
})
