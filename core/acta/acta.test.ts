import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import type { Database, DatabaseHandle } from '../../db/client.ts'
import { assemblies, assemblyEvents, people, quorumLog } from '../../db/schema/index.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { createMotion, openMotion } from '../motions/motions.ts'
import { closeMotion } from '../motions/results.ts'
import {
  addAgendaItem,
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
import { renderActaHtml } from './html.ts'
import { buildActa } from './model.ts'
import { renderActaPdf } from './pdf.ts'
import { pdfToText } from './pdf-text.ts'

let handle: DatabaseHandle
let votePath: TestVotePath
let db: Database
let scenario: Scenario

const actor = { userId: null }
const evil = '<script>alert("x")</script> & Cía'

/**
 * A whole assembly: 4 units, 1A in person, 1B by its proxy holder (remote), 2A in person and left,
 * 2B absent and behind on fees; a named motion approved, a secret one rejected, one never voted.
 */
async function runAssembly(): Promise<void> {
  scenario = await createScenario(db, {
    units: [
      { number: '1A', coefficient: '30', finca: '30412' },
      { number: '1B', coefficient: '30', finca: '30413' },
      { number: '2A', coefficient: '25', finca: '30414' },
      { number: '2B', coefficient: '15', finca: '30415', upToDate: false },
    ],
    // Units in arrears have voice but no vote (the PH default): 2B is not entitled to vote.
    quorumRule: {
      base: 'coefficient',
      eligibleOnly: true,
      firstCall: { numerator: 1, denominator: 2, strict: true },
      secondCall: null,
    },
  })
  const { organizationId, assemblyId } = scenario
  await db
    .update(people)
    .set({ fullName: evil })
    .where(eq(people.id, scenario.owner('1A')))
  await db
    .update(assemblies)
    .set({
      number: 7,
      kind: 'extraordinary',
      location: 'Salón de eventos',
      meetingUrl: 'https://meet.example.com/ph',
      convenedBy: 'Junta Directiva',
      callText: 'Se convoca a los propietarios…',
      presidentName: 'Ana Pérez',
      secretaryName: 'Luis Gómez',
      officersElection: 'Elegidos por aclamación',
      startedAt: new Date('2026-03-14T14:05:00Z'),
      endedAt: new Date('2026-03-14T16:30:00Z'),
    })
    .where(eq(assemblies.id, assemblyId))
  const holder = await addPerson(db, scenario, 'Marta Apoderada')
  await addProxy(db, scenario, { unitNumber: '1B', holderPersonId: holder })
  await checkIn(db, scenario, '1A', 'in_person', { at: new Date('2026-03-14T13:50:00Z') })
  await checkIn(db, scenario, '1B', 'remote', {
    personId: holder,
    at: new Date('2026-03-14T13:55:00Z'),
  })
  await checkIn(db, scenario, '2A', 'in_person', { at: new Date('2026-03-14T14:00:00Z') })
  await db.insert(quorumLog).values(
    [
      [1, '30', false, '2026-03-14T13:50:00Z'],
      [3, '85', true, '2026-03-14T14:00:00Z'],
    ].map(([present, coefficient, reached, at]) => ({
      organizationId,
      assemblyId,
      call: 'first' as const,
      presentUnits: present as number,
      totalUnits: 4,
      presentCoefficient: coefficient as string,
      totalCoefficient: '100',
      inPersonUnits: 2,
      remoteUnits: 1,
      reached: reached as boolean,
      at: new Date(at as string),
    })),
  )
  await db.insert(assemblyEvents).values([
    { organizationId, assemblyId, kind: 'suspended', note: 'Receso', at: new Date('2026-03-14T15:00:00Z') },
    { organizationId, assemblyId, kind: 'resumed', at: new Date('2026-03-14T15:15:00Z') },
  ])
  const budgetItem = await addAgendaItem(db, scenario, {
    position: 1,
    title: 'Presupuesto 2026',
    notes: 'Se discutió el alza.',
  })
  const create = (title: string, extra: Partial<Parameters<typeof createMotion>[1]> = {}) =>
    createMotion(db, { organizationId, assemblyId, actor, title, ...extra })
  const named = await create('Aprobar el presupuesto', { agendaItemId: budgetItem })
  const secret = await create('Cuota extraordinaria', {
    secret: true,
    majorityRule: 'ley284-art35-first-call',
  })
  await create('Pintura de fachada')
  for (const motionId of [named.id, secret.id]) await openMotion(db, { organizationId, motionId, actor })
  const vote = (motionId: string, personId: string, ballots: [string, string][]) =>
    castAndCommit(votePath, {
      organizationId,
      motionId,
      actor: { userId: null, personId },
      channel: 'web',
      ballots: ballots.map(([number, key]) => ({ unitId: scenario.unit(number), optionKeys: [key] })),
    })
  await vote(named.id, scenario.owner('1A'), [['1A', 'yes']])
  await vote(named.id, holder, [['1B', 'yes']])
  await vote(named.id, scenario.owner('2A'), [['2A', 'no']])
  await vote(secret.id, scenario.owner('1A'), [['1A', 'yes']])
  await vote(secret.id, scenario.owner('2A'), [['2A', 'no']])
  await checkOut(db, scenario, '2A', new Date('2026-03-14T16:00:00Z'))
  for (const motionId of [named.id, secret.id]) await closeMotion(db, { organizationId, motionId, actor })
}

beforeAll(async () => {
  handle = await createTestDatabase()
  votePath = createTestVotePath(handle.db)
  db = handle.db
  await runAssembly()
})
afterAll(async () => {
  await votePath.close()
  await handle.close()
})

const acta = (amendsBylaws = false) =>
  buildActa(db, {
    organizationId: scenario.organizationId,
    assemblyId: scenario.assemblyId,
    amendsBylaws,
    now: new Date('2026-03-15T12:00:00Z'),
  })

describe('buildActa', () => {
  it('carries every item of art. 71', async () => {
    const model = await acta()
    expect(model.acta).toEqual({ number: 7, kind: 'extraordinary' })
    expect(model.ph.name).toStartWith('PH Prueba')
    expect(model.meeting).toMatchObject({
      location: 'Salón de eventos',
      convenedBy: 'Junta Directiva',
      call: 'first',
    })
    expect(model.attendees.map((a) => [a.unitNumber, a.finca, a.capacity, a.modes, a.coefficient])).toEqual([
      ['1A', '30412', 'owner', ['in_person'], null],
      ['1B', '30413', 'proxy', ['remote'], null],
      ['2A', '30414', 'owner', ['in_person'], null],
    ])
    expect(model.attendees[1]!.attendee).toBe('Marta Apoderada')
    expect(model.quorum).toMatchObject({
      inPersonUnits: 2,
      remoteUnits: 1,
      attendedUnits: 3,
      totalUnits: 4,
      eligibleUnits: 3,
      attendedOwners: 3,
      totalOwners: 4,
      arrearsVoting: 'voice_no_vote',
    })
    expect(model.quorum.established?.at).toEqual(new Date('2026-03-14T14:00:00Z'))
    expect(model.officers).toEqual({
      president: 'Ana Pérez',
      secretary: 'Luis Gómez',
      election: 'Elegidos por aclamación',
    })
    expect(model.agenda.map((item) => [item.title, item.notes])).toEqual([
      ['Presupuesto 2026', 'Se discutió el alza.'],
    ])
    expect(model.proposals.map((p) => [p.title, p.result?.outcome ?? p.status])).toEqual([
      ['Aprobar el presupuesto', 'approved'],
      ['Cuota extraordinaria', 'rejected'],
      ['Pintura de fachada', 'draft'],
    ])
    expect(model.times.events.map((event) => event.kind)).toEqual(['suspended', 'resumed'])
  })

  it('lists coefficients only when the assembly amends the by-laws', async () => {
    const model = await acta(true)
    expect(model.attendees.map((a) => a.coefficient)).toEqual([
      '30.000000000',
      '30.000000000',
      '25.000000000',
    ])
  })
})

describe('renderActaHtml', () => {
  it('writes the acta in Spanish with dates in the PH time zone and every user text escaped', async () => {
    const html = renderActaHtml(await acta())
    expect(html).toStartWith('<!doctype html>\n<html lang="es">')
    expect(html).toContain('Acta N.º 7 de la Asamblea Extraordinaria de Propietarios')
    for (const heading of [
      'Propietarios y apoderados presentes',
      'Quórum',
      'Propuestas y votaciones',
      'Firmas',
    ]) {
      expect(html).toContain(heading)
    }
    // 14:00 UTC is 9:00 in Panama (UTC-5, no daylight saving).
    expect(html).toContain('14 de marzo de 2026 a las 9:00')
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Cía')
    expect(html).not.toContain('<script>')
    expect(html).toContain('Aprobada')
    expect(html).toContain('Votación secreta')
    expect(html).toContain('No sometida a votación')
    expect(html).toContain('Suspensión')
    expect(html).not.toContain('Coeficiente (%)</th><th>Propietario')
  })

  it('writes English on request and the coefficient column when amending by-laws', async () => {
    const html = renderActaHtml(await acta(true), { language: 'en' })
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('<h1>Minutes No. 7 of the Extraordinary Owners&#39; Assembly</h1>')
    expect(html).toContain('March 14, 2026 at 9:00')
    expect(html).toContain('<th class="num">Coefficient (%)</th>')
  })
})

/** The text of every TJ operator of an uncompressed pdfkit file (hex strings in the standard fonts' encoding). */
/** The PDF's text with lines joined (a table cell may wrap), or null without poppler's pdftotext. */
async function pdfText(bytes: Uint8Array): Promise<string | null> {
  const text = await pdfToText(bytes)
  if (text === null) console.warn('pdftotext (poppler-utils) is not installed: PDF text not checked')
  return text === null ? null : text.replace(/\s+/g, ' ')
}

describe('renderActaPdf', () => {
  it('is a PDF with the same content as the HTML', async () => {
    const model = await acta()
    const bytes = await renderActaPdf(model)
    expect(Buffer.from(bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-')
    const text = await pdfText(bytes)
    if (text === null) return
    expect(text).toContain('Acta N.º 7 de la Asamblea Extraordinaria de Propietarios')
    expect(text).toContain(model.ph.name)
    expect(text).toContain('Marta Apoderada')
    expect(text).toContain('Aprobar el presupuesto')
    expect(text).toContain('Aprobada')
    expect(text).toContain('Ana Pérez')
    // User text goes into the PDF as text, not escaped; a table cell may wrap it.
    expect(text).toContain('<script>alert("x")</')
    // The secret motion (one vote each way): unit counts only, no weight that would name the voters.
    expect(text).toContain('Sí: 1 unidad; No: 1 unidad; Abstención: 0 unidades: rechazada.')
    expect(text).toContain('reservado (voto secreto)')
    expect(text).not.toContain('30.000000000')
  })

  it('compresses by default', async () => {
    const model = await acta()
    const compressed = await renderActaPdf(model, { language: 'en' })
    const plain = await renderActaPdf(model, { language: 'en', compress: false })
    expect(Buffer.from(compressed).toString('latin1')).toContain('/FlateDecode')
    expect(compressed.byteLength).toBeLessThan(plain.byteLength)
  })
})
