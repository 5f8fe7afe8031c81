import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import type { Database, DatabaseHandle } from '../../db/client.ts'
import { assemblies, assemblyEvents, assemblyNotices } from '../../db/schema/index.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { createMotion, openMotion } from '../motions/motions.ts'
import { closeMotion } from '../motions/results.ts'
import {
  addAgendaItem,
  addPerson,
  addProxy,
  castAndCommit,
  checkIn,
  createScenario,
  createTestVotePath,
  type Scenario,
} from '../motions/testing.ts'
import { renderActaHtml } from './html.ts'
import { buildActa } from './model.ts'
import { renderActaPdf } from './pdf.ts'
import { pdfToText } from './pdf-text.ts'

/*
 * Ley 284 art. 71, item by item, as a reader sees it: each item's label next to its value in the HTML
 * text and in the PDF text (pdftotext). A renderer that drops any one of them fails here.
 */

let handle: DatabaseHandle
let db: Database
let scenario: Scenario
let html: string
let pdf: string | null
const actor = { userId: null }

beforeAll(async () => {
  handle = await createTestDatabase()
  db = handle.db
  scenario = await createScenario(db, {
    units: [
      { number: '1A', coefficient: '40', finca: '30412' },
      { number: '1B', coefficient: '35', finca: '30413' },
      { number: '2A', coefficient: '25', finca: '30414', upToDate: false },
    ],
    // Units in arrears have voice but no vote: 2A is not entitled to vote.
    quorumRule: {
      base: 'coefficient',
      eligibleOnly: true,
      firstCall: { numerator: 1, denominator: 2, strict: true },
      secondCall: null,
    },
  })
  const { organizationId, assemblyId } = scenario
  await db
    .update(assemblies)
    .set({
      number: 12,
      kind: 'ordinary',
      location: 'Salón de eventos',
      meetingUrl: 'https://meet.example.com/ph',
      convenedBy: 'Rosa Díaz',
      convenerPosition: 'Presidenta de la Junta Directiva',
      presidentName: 'Ana Pérez',
      secretaryName: 'Luis Gómez',
      officersElection: 'Elegidos por la asamblea a mano alzada',
      startedAt: new Date('2026-03-14T14:05:00Z'),
      endedAt: new Date('2026-03-14T16:30:00Z'),
    })
    .where(eq(assemblies.id, assemblyId))
  // The first notice and a corrected one (the place changed): both are transcribed, in order.
  await db.insert(assemblyNotices).values([
    {
      organizationId,
      assemblyId,
      kind: 'notice',
      subject: 'Convocatoria a la Asamblea Ordinaria',
      text: 'Se convoca a los propietarios a la asamblea ordinaria del 14 de marzo.',
      html: '<p>Se convoca…</p>',
      sentAt: new Date('2026-03-01T12:00:00Z'),
    },
    {
      organizationId,
      assemblyId,
      kind: 'corrected_notice',
      changed: ['location'],
      subject: 'Convocatoria corregida: Asamblea Ordinaria',
      text: 'Se corrige el lugar: la asamblea será en el Salón de eventos.',
      html: '<p>Se corrige…</p>',
      sentAt: new Date('2026-03-03T12:00:00Z'),
    },
  ])
  await db.insert(assemblyEvents).values([
    { organizationId, assemblyId, kind: 'suspended', note: 'Receso', at: new Date('2026-03-14T15:00:00Z') },
    { organizationId, assemblyId, kind: 'resumed', at: new Date('2026-03-14T15:15:00Z') },
  ])
  const holder = await addPerson(db, scenario, 'Marta Apoderada')
  await addProxy(db, scenario, { unitNumber: '1B', holderPersonId: holder })
  await checkIn(db, scenario, '1A', 'in_person', { at: new Date('2026-03-14T13:50:00Z') })
  await checkIn(db, scenario, '1B', 'remote', {
    personId: holder,
    at: new Date('2026-03-14T13:55:00Z'),
  })
  const item = await addAgendaItem(db, scenario, {
    position: 1,
    title: 'Presupuesto 2026',
    notes: 'Se discutió el alza de la cuota de mantenimiento.',
  })
  const motion = await createMotion(db, {
    organizationId,
    assemblyId,
    actor,
    title: 'Aprobar el presupuesto 2026',
    agendaItemId: item,
  })
  await openMotion(db, { organizationId, motionId: motion.id, actor })
  const votePath = createTestVotePath(db)
  await castAndCommit(votePath, {
    organizationId,
    motionId: motion.id,
    actor: { userId: null, personId: scenario.owner('1A') },
    channel: 'web',
    ballots: [{ unitId: scenario.unit('1A'), optionKeys: ['yes'] }],
  })
  await votePath.close()
  await closeMotion(db, { organizationId, motionId: motion.id, actor })
  const model = await buildActa(db, scenario)
  html = normalize(
    renderActaHtml(model)
      .replace(/<style>[\s\S]*?<\/style>/, '')
      .replace(/<[^>]+>/g, ' ')
      .replaceAll('&amp;', '&')
      .replaceAll('&quot;', '"')
      .replaceAll('&#39;', "'")
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>'),
  )
  const pdfText = await pdfToText(await renderActaPdf(model))
  if (pdfText === null) console.warn('pdftotext (poppler-utils) is not installed: PDF text not checked')
  pdf = pdfText === null ? null : normalize(pdfText)
}, 60_000)
afterAll(() => handle.close())

function normalize(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** "Label: value" in the PDF, "Label value" in the HTML (a definition list). */
const field = (label: string, value: string) => new RegExp(`${escapeRegExp(label)}:? ${escapeRegExp(value)}`)
const phrase = (text: string) => new RegExp(escapeRegExp(text))

const ITEMS: [string, RegExp[]][] = [
  [
    '71.1 acta number and class of meeting',
    [phrase('Acta N.º 12 de la Asamblea Ordinaria de Propietarios'), field('Tipo de reunión', 'Ordinaria')],
  ],
  ['71.2 name of the PH', [/Propiedad horizontal:? PH Prueba \d+/]],
  [
    '71.3 place, medium, date and time, convocatoria and who convened',
    [
      field('Lugar', 'Salón de eventos'),
      field('Medio tecnológico', 'https://meet.example.com/ph'),
      field('Primera convocatoria', '14 de marzo de 2026'),
      field('Convocada por', 'Rosa Díaz (Presidenta de la Junta Directiva)'),
      phrase('Transcripción de la convocatoria'),
      phrase('Se convoca a los propietarios a la asamblea ordinaria del 14 de marzo.'),
      /Se convoca a los propietarios a la asamblea ordinaria del 14 de marzo\.[\s\S]*Convocatoria corregida, enviada el[\s\S]*Se corrige el lugar: la asamblea será en el Salón de eventos\./,
    ],
  ],
  [
    '71.4 owners and proxies present, with unit and finca',
    [/1A 30412 .*Propietario/, /1B 30413 .*Marta Apoderada Apoderado/],
  ],
  [
    '71.5 quorum: owners who attended, units of the PH, units entitled to vote',
    [
      field('Propietarios asistentes (de todos los propietarios)', '2 / 3'),
      field('Total de unidades', '3'),
      field('Unidades habilitadas para votar', '2'),
    ],
  ],
  [
    '71.6 president and secretary and how they were chosen',
    [
      field('Presidente', 'Ana Pérez'),
      field('Secretario', 'Luis Gómez'),
      field('Forma de elección', 'Elegidos por la asamblea a mano alzada'),
    ],
  ],
  [
    '71.7 matters discussed',
    [
      phrase('1. Presupuesto 2026'),
      field('Resumen de la discusión', 'Se discutió el alza de la cuota de mantenimiento.'),
    ],
  ],
  [
    '71.8 each proposal, how it was voted and the count',
    [
      phrase('6.1. Aprobar el presupuesto 2026'),
      field('Forma de votación', 'Votación nominal'),
      field('Resultado', 'Aprobada'),
      /Cómputo:? Sí: 40\.00 % de 40\.00 %/,
      phrase('Votación nominal: cómo votó cada unidad'),
    ],
  ],
  [
    '71.9 start and end, suspension and restart',
    [
      field('Inicio', '14 de marzo de 2026'),
      field('Cierre', '14 de marzo de 2026'),
      /Suspensión Receso/,
      /Reanudación/,
    ],
  ],
  [
    '71.10 places for the signatures of president and secretary',
    [/8\. Firmas Ana Pérez Presidente Luis Gómez Secretario/],
  ],
]

describe('the acta carries every item of Ley 284 art. 71', () => {
  it.each(ITEMS)('%s (HTML)', (_item, patterns) => {
    for (const pattern of patterns) expect(html).toMatch(pattern)
  })

  it.each(ITEMS)('%s (PDF)', (_item, patterns) => {
    if (pdf === null) return
    for (const pattern of patterns) expect(pdf).toMatch(pattern)
  })
})
