import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { Database, DatabaseHandle } from '../../db/client.ts'
import { quorumLog } from '../../db/schema/index.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { createMotion, openMotion } from '../motions/motions.ts'
import { closeMotion } from '../motions/results.ts'
import {
  addAgendaItem,
  castByOwner,
  checkIn,
  checkOut,
  createScenario,
  createTestVotePath,
  type Scenario,
} from '../motions/testing.ts'
import { renderActaHtml } from './html.ts'
import { buildActa } from './model.ts'

/*
 * What a reader of the acta sees: motions in agenda order, a roll call for named votes only, rounded
 * percentages in the body with the exact ones in the annex, the quorum-lost reservation, the discussion
 * summary of each item, and a unit that moved from remote to in person counted once.
 */

let handle: DatabaseHandle
let db: Database
let scenario: Scenario
const actor = { userId: null }

beforeAll(async () => {
  handle = await createTestDatabase()
  db = handle.db
  scenario = await createScenario(db, {
    units: [
      { number: '1A', coefficient: '33.333333333' },
      { number: '1B', coefficient: '33.333333333' },
      { number: '2A', coefficient: '33.333333334' },
    ],
  })
  const { organizationId, assemblyId } = scenario
  await checkIn(db, scenario, '1A', 'remote', { at: new Date('2026-03-14T13:50:00Z') })
  await checkOut(db, scenario, '1A', new Date('2026-03-14T13:54:00Z'))
  await checkIn(db, scenario, '1A', 'in_person', { at: new Date('2026-03-14T13:55:00Z') })
  await checkIn(db, scenario, '1B', 'in_person')
  await checkIn(db, scenario, '2A', 'in_person')
  const first = await addAgendaItem(db, scenario, {
    position: 1,
    title: 'Informe',
    notes: 'Se leyó el informe.',
  })
  const second = await addAgendaItem(db, scenario, { position: 2, title: 'Presupuesto' })
  const create = (title: string, extra: Partial<Parameters<typeof createMotion>[1]> = {}) =>
    createMotion(db, { organizationId, assemblyId, actor, title, ...extra })
  // Created out of agenda order on purpose: the acta follows the agenda, not the creation order.
  const budget = await create('Votar el presupuesto', { agendaItemId: second })
  const report = await create('Aprobar el informe', { agendaItemId: first, secret: true })
  for (const motion of [budget, report]) await openMotion(db, { organizationId, motionId: motion.id, actor })
  const votePath = createTestVotePath(db)
  const vote = (motionId: string, number: string, key: string) =>
    castByOwner(votePath, scenario, motionId, number, [key])
  await vote(budget.id, '1A', 'yes')
  await vote(budget.id, '1B', 'no')
  await vote(report.id, '1A', 'yes')
  await vote(report.id, '1B', 'no')
  await vote(report.id, '2A', 'yes')
  await votePath.close()
  // Someone left while the budget vote was open: the quorum was lost for a moment.
  await db.insert(quorumLog).values({
    organizationId,
    assemblyId,
    call: 'first',
    presentUnits: 1,
    totalUnits: 3,
    presentCoefficient: '33.333333333',
    totalCoefficient: '100',
    inPersonUnits: 1,
    remoteUnits: 0,
    reached: false,
    at: new Date(Date.now() + 1000),
  })
  for (const motion of [budget, report]) await closeMotion(db, { organizationId, motionId: motion.id, actor })
}, 60_000)
afterAll(() => handle.close())

const html = async () =>
  renderActaHtml(
    await buildActa(db, { organizationId: scenario.organizationId, assemblyId: scenario.assemblyId }),
  )
const text = (page: string) => page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ')

describe('a readable acta', () => {
  it('lists the motions in agenda order', async () => {
    const page = text(await html())
    expect(page.indexOf('6.1. Aprobar el informe')).toBeGreaterThan(0)
    expect(page.indexOf('6.2. Votar el presupuesto')).toBeGreaterThan(page.indexOf('6.1. Aprobar el informe'))
  })

  it('lists how each unit voted on a named motion, and never on a secret one', async () => {
    const model = await buildActa(db, scenario)
    const [secret, named] = model.proposals
    expect(secret!.nominal).toBeNull()
    expect(named!.nominal).toEqual([
      { unitNumber: '1A', optionKeys: ['yes'] },
      { unitNumber: '1B', optionKeys: ['no'] },
    ])
    const page = text(await html())
    const rollCalls = page.split('Votación nominal: cómo votó cada unidad')
    expect(rollCalls).toHaveLength(2)
    // The roll call sits under the named motion (the second), after the secret one's section.
    expect(page.indexOf('cómo votó cada unidad')).toBeGreaterThan(page.indexOf('6.2. Votar el presupuesto'))
    expect(rollCalls[1]).toMatch(/Unidad Opción 1A Sí 1B No Constancia/)
  })

  it('rounds percentages to two decimals in the body and gives them exactly in the annex', async () => {
    const page = text(await html())
    const [body, annex] = page.split('Anexo: cifras exactas')
    expect(annex).toBeDefined()
    expect(body).not.toContain('33.333333333')
    expect(body).toContain('33.33')
    expect(annex).toContain('33.333333333')
    expect(annex).toContain('66.666666666')
  })

  it('says when the quorum was lost while the vote was open', async () => {
    const model = await buildActa(db, scenario)
    expect(model.proposals[1]!.result?.totals.quorumLostDuringVote).toBe(true)
    const page = text(await html())
    const budget = page.slice(page.indexOf('6.2. Votar el presupuesto'), page.indexOf('7. Horario'))
    expect(budget).toContain('El quórum se perdió mientras la votación estaba abierta')
  })

  it('shows the discussion summary of each item, and says when there is none', async () => {
    const page = text(await html())
    expect(page).toMatch(/1\. Informe Resumen de la discusión Se leyó el informe\./)
    expect(page).toMatch(/2\. Presupuesto Resumen de la discusión Sin resumen de la discusión\./)
  })

  it('counts a unit that moved from remote to in person once, as in person', async () => {
    const model = await buildActa(db, scenario)
    expect(model.attendees.map((a) => [a.unitNumber, a.modes])).toEqual([
      ['1A', ['remote', 'in_person']],
      ['1B', ['in_person']],
      ['2A', ['in_person']],
    ])
    expect(model.quorum).toMatchObject({ inPersonUnits: 3, remoteUnits: 0, attendedUnits: 3 })
  })
})
