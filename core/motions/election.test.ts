import { describe, expect, it } from 'bun:test'
import { renderActaHtml } from '../acta/html.ts'
import { buildActa } from '../acta/model.ts'
import { validateMotionDefinition } from './definition.ts'
import { createMotion, openMotion } from './motions.ts'
import { closeMotion, recountMotion } from './results.ts'
import { publishResult } from './secret-publication.ts'
import { appErrorOf, castByOwner, createScenario, type Scenario, votingDatabaseForTests } from './testing.ts'

const world = votingDatabaseForTests()

const actor = { userId: null }
const candidates = ['Ana', 'Beto', 'Carla', 'Dora'].map((label) => ({
  key: label.toLowerCase(),
  label,
  kind: 'choice' as const,
}))

function building() {
  return createScenario(world.db, {
    units: ['10', '10', '15', '15', '20', '30'].map((coefficient, index) => ({
      number: `${index + 1}A`,
      coefficient,
      present: 'in_person' as const,
    })),
  })
}

async function election(scenario: Scenario, seats: number, secret = false) {
  const { organizationId, assemblyId } = scenario
  const motion = await createMotion(world.db, {
    organizationId,
    assemblyId,
    actor,
    title: 'Junta Directiva',
    options: candidates,
    seats,
    secret,
  })
  await openMotion(world.db, { organizationId, motionId: motion.id, actor })
  return motion
}

const vote = (scenario: Scenario, motionId: string, number: string, optionKeys: string[]) =>
  castByOwner(world.votePath, scenario, motionId, number, optionKeys)

describe('elections', () => {
  it('define seats: multiple choice by default, candidates only, 1 to 50 seats', () => {
    const ok = validateMotionDefinition({ title: 'Junta', options: candidates, seats: 3 })
    expect(ok.ok && [ok.value.choiceMode, ok.value.seats]).toEqual(['multiple', 3])
    const bad = (input: object) => {
      const result = validateMotionDefinition({ title: 'Junta', options: candidates, ...input })
      return result.ok ? [] : result.issues.map((issue) => issue.field)
    }
    expect(bad({ seats: 0 })).toEqual(['seats'])
    expect(bad({ seats: 51 })).toEqual(['seats'])
    expect(bad({ seats: 2, choiceMode: 'single' })).toEqual(['choiceMode'])
    expect(bad({ seats: 1, options: null })).toContain('options')
  })

  it('refuses a ballot with more candidates than seats, on the same path as every channel', async () => {
    const scenario = await building()
    const motion = await election(scenario, 2)
    const error = await appErrorOf(() => vote(scenario, motion.id, '1A', ['ana', 'beto', 'carla']))
    expect([error.status, error.code]).toEqual([422, 'ballots_rejected'])
    expect(JSON.stringify(error.details)).toContain('at most 2')
    await vote(scenario, motion.id, '1A', ['ana', 'beto'])
    await vote(scenario, motion.id, '2A', ['ana'])
  })

  it('elects the top N, reports a tie at the last seat, and a recount agrees', async () => {
    const scenario = await building()
    const motion = await election(scenario, 2)
    // ana 10+10+30 = 50; beto 10+15 = 25; carla 15+10 = 25; dora 20.
    await vote(scenario, motion.id, '1A', ['ana', 'beto'])
    await vote(scenario, motion.id, '2A', ['ana', 'carla'])
    await vote(scenario, motion.id, '3A', ['beto'])
    await vote(scenario, motion.id, '4A', ['carla'])
    await vote(scenario, motion.id, '5A', ['dora'])
    await vote(scenario, motion.id, '6A', ['ana'])
    const { organizationId } = scenario
    const { result } = await closeMotion(world.db, { organizationId, motionId: motion.id, actor })
    expect(result.totals.election).toEqual({
      seats: 2,
      candidates: [
        { key: 'ana', rank: 1, elected: true },
        { key: 'beto', rank: 2, elected: 'tie' },
        { key: 'carla', rank: 2, elected: 'tie' },
        { key: 'dora', rank: 4, elected: false },
      ],
    })
    expect(result.outcome).toBe('tie')
    expect(result.explanation).toStartWith(
      '2 puestos. Electo/a: Ana; empate entre Beto y Carla: ese puesto queda sin decidir.',
    )
    const recount = await recountMotion(world.db, { organizationId, motionId: motion.id })
    expect(recount.differences).toEqual([])
    expect(recount.matches).toBe(true)
    // The acta says who is elected and who ties instead of Aprobada / Rechazada.
    const model = await buildActa(world.db, scenario)
    const text = (language: string) =>
      renderActaHtml(model, { language })
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
    expect(text('es')).toContain('Resultado 2 puestos. Electo/a: Ana; empate entre Beto y Carla')
    expect(text('es')).toContain('Ana — Electo/a 3')
    expect(text('es')).toContain('Beto — Empate 2')
    expect(text('es')).not.toContain('Aprobada')
    expect(text('en')).toContain('2 seats. Elected: Ana; tie between Beto and Carla')
  })

  it('publishes a secret election with who is elected and no weights behind small groups', async () => {
    const scenario = await building()
    const motion = await election(scenario, 1, true)
    await vote(scenario, motion.id, '1A', ['ana'])
    await vote(scenario, motion.id, '2A', ['ana'])
    await vote(scenario, motion.id, '3A', ['ana'])
    await vote(scenario, motion.id, '6A', ['beto'])
    const { organizationId } = scenario
    const { result } = await closeMotion(world.db, { organizationId, motionId: motion.id, actor })
    expect(result.totals.election?.candidates.map((c) => [c.key, c.elected])).toEqual([
      ['ana', true],
      ['beto', false],
      ['carla', false],
      ['dora', false],
    ])
    const shown = publishResult(result, { exact: false })
    // Beto's one voter holds 30 %: every coefficient is withheld, the outcome stays.
    expect(shown.totals.tally.options.map((row) => row.coefficient)).toEqual([null, null, null, null])
    expect(shown.explanation).toBe(
      'Ana: 3 unidades; Beto: 1 unidad; Carla: 0 unidades; Dora: 0 unidades: 1 puesto. Electo/a: Ana. ' +
        'Votación secreta: cifras redondeadas para no revelar votantes.',
    )
    expect(shown.explanation).not.toContain('30')
  })

  it('rounds a secret election to 0.1 % when every candidate with votes has three or more', async () => {
    const scenario = await building()
    const motion = await election(scenario, 1, true)
    for (const number of ['1A', '2A', '3A']) await vote(scenario, motion.id, number, ['ana'])
    for (const number of ['4A', '5A', '6A']) await vote(scenario, motion.id, number, ['beto'])
    const { organizationId } = scenario
    const { result } = await closeMotion(world.db, { organizationId, motionId: motion.id, actor })
    const shown = publishResult(result, { exact: false })
    expect(shown.electorate.every((unit) => unit.voted === null)).toBe(true)
    expect(shown.totals.tally.options.map((row) => [row.key, row.units, row.coefficient])).toEqual([
      ['ana', 3, '35.0'],
      ['beto', 3, '65.0'],
      ['carla', 0, '0.0'],
      ['dora', 0, '0.0'],
    ])
    expect(shown.totals.election?.candidates.map((c) => [c.key, c.elected])).toEqual([
      ['beto', true],
      ['ana', false],
      ['carla', false],
      ['dora', false],
    ])
    expect(shown.explanation).toContain('Beto: 3 unidades, 65.0 %')
  })
})
