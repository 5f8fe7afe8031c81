import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import type { Database, DatabaseHandle } from '../../db/client.ts'
import { createTestDatabase } from '../../db/testing.ts'
import type { QuorumRule } from '../rules/types.ts'
import { createMotion, deleteMotion, getMotion, listMotions, openMotion, updateMotion } from './motions.ts'
import { closeMotion } from './results.ts'
import {
  addAgendaItem,
  appErrorOf,
  checkIn,
  createScenario,
  NEVER_MET_RULE,
  type Scenario,
  setAssemblyStatus,
} from './testing.ts'

let handle: DatabaseHandle
let db: Database

beforeAll(async () => {
  handle = await createTestDatabase()
  db = handle.db
})
afterAll(() => handle.close())

const actor = { userId: null }

// 60 % by coefficient at first call, 30 % at second; by units at the same time when base is 'both'.
const quorumRule: QuorumRule = {
  base: 'both',
  eligibleOnly: false,
  firstCall: { numerator: 60, denominator: 100, strict: false },
  secondCall: { numerator: 30, denominator: 100, strict: false },
}

function fourUnits(present: string[], options: { call?: 'first' | 'second'; language?: string } = {}) {
  return createScenario(db, {
    quorumRule,
    call: options.call,
    language: options.language,
    units: [
      { number: '101', coefficient: '40' },
      { number: '102', coefficient: '30' },
      { number: '103', coefficient: '20' },
      { number: '104', coefficient: '10' },
    ].map((unit) => ({ ...unit, present: present.includes(unit.number) ? ('in_person' as const) : false })),
  })
}

function draft(scenario: Scenario, extra: Partial<Parameters<typeof createMotion>[1]> = {}) {
  return createMotion(db, {
    organizationId: scenario.organizationId,
    assemblyId: scenario.assemblyId,
    actor,
    title: 'Elegir la empresa de seguridad',
    ...extra,
  })
}

describe('createMotion', () => {
  it('defaults to yes/no/abstain in the PH language, the simple rule, quorum required, next position', async () => {
    const scenario = await fourUnits([], { language: 'en' })
    const first = await draft(scenario)
    const second = await draft(scenario, { title: 'Second' })
    expect(first).toMatchObject({
      status: 'draft',
      position: 1,
      choiceMode: 'single',
      secret: false,
      requiresQuorum: true,
    })
    expect(first.options.map((option) => option.label)).toEqual(['Yes', 'No', 'Abstain'])
    expect(first.majorityRule.preset).toBe('simple')
    expect(second.position).toBe(2)
    expect((await listMotions(db, scenario)).map((motion) => motion.title)).toEqual([first.title, 'Second'])
  })

  it('stores a custom rule, choices and a link to an agenda item of the same assembly', async () => {
    const scenario = await fourUnits([])
    const agendaItemId = await addAgendaItem(db, scenario, { position: 1, title: 'Seguridad' })
    const motion = await draft(scenario, {
      agendaItemId,
      secret: true,
      choiceMode: 'multiple',
      options: [
        { key: 'a', label: 'Empresa A', kind: 'choice' },
        { key: 'b', label: 'Empresa B', kind: 'choice' },
      ],
      majorityRule: {
        base: 'units',
        denominator: 'present',
        threshold: { numerator: 1, denominator: 2, strict: true },
        abstentionsCount: true,
        eligibleOnly: false,
      },
    })
    expect(motion).toMatchObject({ agendaItemId, secret: true, choiceMode: 'multiple' })
    expect(motion.majorityRule).toEqual({
      base: 'units',
      denominator: 'present',
      threshold: { numerator: 1, denominator: 2, strict: true },
      abstentionsCount: true,
      // The PH's arrears setting (default: voice but no vote) applies unless the rule counts arrears.
      eligibleOnly: true,
    })
  })

  it.each([
    ['an empty title', { title: ' ' }, 'title'],
    ['an unknown preset', { majorityRule: 'mayoria-magica' }, 'majorityRule'],
    ['a threshold that can never be met', { majorityRule: NEVER_MET_RULE }, 'majorityRule.threshold'],
    ['multiple choice on a yes/no motion', { choiceMode: 'multiple' }, 'choiceMode'],
    ['an agenda item of another assembly', { agendaItemId: crypto.randomUUID() }, 'agendaItemId'],
    ['a position below 1', { position: 0 }, 'position'],
  ] as const)('refuses %s with 422 naming the field', async (_name, extra, field) => {
    const scenario = await fourUnits([])
    const error = await appErrorOf(() =>
      draft(scenario, extra as Partial<Parameters<typeof createMotion>[1]>),
    )
    expect([error.status, error.code]).toEqual([422, 'validation_failed'])
    expect((error.details as { field: string }[]).map((issue) => issue.field)).toContain(field)
  })

  it('refuses motions in a closed assembly and in an unknown one', async () => {
    const scenario = await fourUnits([])
    await setAssemblyStatus(db, scenario, 'closed')
    expect((await appErrorOf(() => draft(scenario))).code).toBe('assembly_closed')
    const unknown = { ...scenario, assemblyId: crypto.randomUUID() }
    expect((await appErrorOf(() => draft(unknown))).status).toBe(404)
  })
})

describe('updateMotion and deleteMotion', () => {
  it('edit only drafts, keeping fields that were not sent', async () => {
    const scenario = await fourUnits(['101', '102', '103'])
    const { organizationId } = scenario
    const motion = await draft(scenario, { description: 'Tres ofertas' })
    const edited = await updateMotion(db, {
      organizationId,
      motionId: motion.id,
      actor,
      title: 'Nuevo título',
    })
    expect(edited).toMatchObject({
      title: 'Nuevo título',
      description: 'Tres ofertas',
      options: motion.options,
    })
    await openMotion(db, { organizationId, motionId: motion.id, actor })
    const error = await appErrorOf(() =>
      updateMotion(db, { organizationId, motionId: motion.id, actor, title: 'Tarde' }),
    )
    expect([error.status, error.code]).toEqual([409, 'motion_not_editable'])
    expect(
      (await appErrorOf(() => deleteMotion(db, { organizationId, motionId: motion.id, actor }))).code,
    ).toBe('motion_not_editable')
  })

  it('deletes a draft', async () => {
    const scenario = await fourUnits([])
    const motion = await draft(scenario)
    await deleteMotion(db, { organizationId: scenario.organizationId, motionId: motion.id, actor })
    expect(await getMotion(db, { organizationId: scenario.organizationId, motionId: motion.id })).toBeNull()
  })

  it('does not see a motion through another PH', async () => {
    const scenario = await fourUnits([])
    const other = await fourUnits([])
    const motion = await draft(scenario)
    expect(await getMotion(db, { organizationId: other.organizationId, motionId: motion.id })).toBeNull()
    const error = await appErrorOf(() =>
      deleteMotion(db, { organizationId: other.organizationId, motionId: motion.id, actor }),
    )
    expect([error.status, error.code]).toEqual([404, 'not_found'])
  })
})

describe('openMotion', () => {
  it.each([
    ['first call, 70 % and 2 of 4 units: units short', ['101', '102'], 'first', false],
    ['first call, 90 % and 3 of 4 units', ['101', '102', '103'], 'first', true],
    ['second call, 30 % and 1 of 4 units: units short', ['102'], 'second', false],
    ['second call, 30 % and 2 of 4 units', ['103', '104'], 'second', true],
  ] as const)('quorum gate: %s', async (_name, present, call, opens) => {
    const scenario = await fourUnits([...present], { call })
    const motion = await draft(scenario)
    const attempt = openMotion(db, { organizationId: scenario.organizationId, motionId: motion.id, actor })
    if (opens) {
      const { motion: opened, quorum } = await attempt
      expect(opened.status).toBe('open')
      expect(opened.openedAt).toBeInstanceOf(Date)
      expect(quorum?.reached).toBe(true)
      return
    }
    const error = await appErrorOf(() => attempt)
    expect([error.status, error.code]).toEqual([409, 'quorum_not_reached'])
    expect(error.details).toMatchObject({
      call,
      reached: false,
      byUnits: { present: present.length, total: 4 },
    })
  })

  it('reports the numbers that failed the quorum', async () => {
    const scenario = await fourUnits(['101'])
    const motion = await draft(scenario)
    const error = await appErrorOf(() =>
      openMotion(db, { organizationId: scenario.organizationId, motionId: motion.id, actor }),
    )
    expect(error.details).toMatchObject({
      byCoefficient: { present: '40.000000000', total: '100.000000000', percent: '40.0000', met: false },
      byUnits: { present: 1, total: 4, met: false },
      threshold: { numerator: 60, denominator: 100, strict: false },
    })
    await checkIn(db, scenario, '102')
    await checkIn(db, scenario, '103')
    const { motion: opened } = await openMotion(db, {
      organizationId: scenario.organizationId,
      motionId: motion.id,
      actor,
    })
    expect(opened.status).toBe('open')
  })

  it('opens without quorum when the motion does not require it', async () => {
    const scenario = await fourUnits([])
    const motion = await draft(scenario, { requiresQuorum: false })
    const { quorum } = await openMotion(db, {
      organizationId: scenario.organizationId,
      motionId: motion.id,
      actor,
    })
    expect(quorum).toBeNull()
  })

  it.each([
    ['convened', 'assembly_not_in_progress'],
    ['suspended', 'assembly_not_in_progress'],
  ] as const)('refuses to open while the assembly is %s', async (status, code) => {
    const scenario = await fourUnits(['101', '102', '103'])
    const motion = await draft(scenario)
    await setAssemblyStatus(db, scenario, status)
    const error = await appErrorOf(() =>
      openMotion(db, { organizationId: scenario.organizationId, motionId: motion.id, actor }),
    )
    expect([error.status, error.code]).toEqual([409, code])
  })

  it('opens a motion once and closes it once', async () => {
    const scenario = await fourUnits(['101', '102', '103'])
    const scope = { organizationId: scenario.organizationId, motionId: (await draft(scenario)).id, actor }
    expect((await appErrorOf(() => closeMotion(db, scope))).code).toBe('motion_not_open')
    await openMotion(db, scope)
    expect((await appErrorOf(() => openMotion(db, scope))).code).toBe('motion_not_draft')
    await closeMotion(db, scope)
    expect((await appErrorOf(() => closeMotion(db, scope))).code).toBe('motion_already_closed')
    expect((await appErrorOf(() => openMotion(db, scope))).code).toBe('motion_not_draft')
  })
})
