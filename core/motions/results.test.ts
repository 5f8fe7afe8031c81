import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq, sql } from 'drizzle-orm'
import type { Database, DatabaseHandle } from '../../db/client.ts'
import { resultSnapshots, units, votes } from '../../db/schema/index.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { verifyResultChain } from './chain.ts'
import { createMotion, openMotion } from './motions.ts'
import { closeMotion, getMotionResult, recountMotion } from './results.ts'
import {
  appErrorOf,
  castOwnerBallots,
  checkOut,
  createScenario,
  createTestVotePath,
  type Scenario,
  type TestVotePath,
} from './testing.ts'

let handle: DatabaseHandle
let votePath: TestVotePath
let db: Database

beforeAll(async () => {
  handle = await createTestDatabase()
  votePath = createTestVotePath(handle.db)
  db = handle.db
})
afterAll(async () => {
  await votePath.close()
  await handle.close()
})

const actor = { userId: null }

function threeUnits() {
  return createScenario(db, {
    units: [
      { number: 'A', coefficient: '50', present: 'in_person' },
      { number: 'B', coefficient: '30', present: 'remote' },
      { number: 'C', coefficient: '20', present: false, upToDate: false },
    ],
  })
}

/** Opens a motion, casts `ballots` (unit number → option) by the owners, and returns its id. */
async function votedMotion(scenario: Scenario, ballots: Record<string, string>, title = 'Moción') {
  const { organizationId } = scenario
  const motion = await createMotion(db, { organizationId, assemblyId: scenario.assemblyId, actor, title })
  await openMotion(db, { organizationId, motionId: motion.id, actor })
  await castOwnerBallots(votePath, scenario, motion.id, ballots)
  return motion.id
}

async function closedMotion(scenario: Scenario, ballots: Record<string, string>, title?: string) {
  const motionId = await votedMotion(scenario, ballots, title)
  const { result } = await closeMotion(db, { organizationId: scenario.organizationId, motionId, actor })
  return result
}

describe('closeMotion', () => {
  it('freezes the electorate: every unit with weight, up-to-date flag, presence and whether it voted', async () => {
    const scenario = await threeUnits()
    const result = await closedMotion(scenario, { A: 'yes', B: 'no' })
    const byNumber = Object.fromEntries(result.electorate.map((unit) => [unit.number, unit]))
    expect(byNumber).toEqual({
      A: {
        unitId: scenario.unit('A'),
        number: 'A',
        coefficient: '50.000000000',
        upToDate: true,
        attending: true,
        voted: true,
      },
      B: {
        unitId: scenario.unit('B'),
        number: 'B',
        coefficient: '30.000000000',
        upToDate: true,
        attending: true,
        voted: true,
      },
      C: {
        unitId: scenario.unit('C'),
        number: 'C',
        coefficient: '20.000000000',
        upToDate: false,
        attending: false,
        voted: false,
      },
    })
    expect(result.totals.tally.present).toEqual({
      units: 2,
      coefficient: '80.000000000',
      upToDate: { units: 2, coefficient: '80.000000000' },
    })
    expect(result.totals.tally.options.map((row) => [row.key, row.units, row.coefficient])).toEqual([
      ['yes', 1, '50.000000000'],
      ['no', 1, '30.000000000'],
      ['abstain', 0, '0.000000000'],
    ])
    expect(result.outcome).toBe('approved')
    expect(result.explanation).toContain('50.000000000')
    expect(
      await getMotionResult(db, { organizationId: scenario.organizationId, motionId: result.motionId }),
    ).toEqual(result)
  })

  it('counts a vote whose unit left before the close, as present, with the weight it had when cast', async () => {
    const scenario = await threeUnits()
    const motionId = await votedMotion(scenario, { A: 'no', B: 'yes' })
    await checkOut(db, scenario, 'B')
    await db
      .update(units)
      .set({ coefficient: '45' })
      .where(eq(units.id, scenario.unit('B')))
    const { result } = await closeMotion(db, { organizationId: scenario.organizationId, motionId, actor })
    const b = result.electorate.find((unit) => unit.number === 'B')
    expect(b).toMatchObject({ attending: false, voted: true, coefficient: '30.000000000' })
    expect(result.totals.tally.present.units).toBe(2)
    expect(result.totals.tally.cast.coefficient).toBe('80.000000000')
  })

  it('chains snapshots per PH: sequence 1, 2, 3, each pointing at the previous hash', async () => {
    const scenario = await threeUnits()
    const first = await closedMotion(scenario, { A: 'yes' }, 'Uno')
    const second = await closedMotion(scenario, { B: 'no' }, 'Dos')
    const third = await closedMotion(scenario, {}, 'Tres')
    expect([first.sequence, second.sequence, third.sequence]).toEqual([1, 2, 3])
    expect([first.previousHash, second.previousHash, third.previousHash]).toEqual([
      null,
      first.hash,
      second.hash,
    ])
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(await verifyResultChain(db, scenario.organizationId)).toEqual({
      ok: true,
      checked: 3,
      brokenAt: null,
    })
    // Another PH has a chain of its own.
    const other = await threeUnits()
    expect((await closedMotion(other, { A: 'yes' })).sequence).toBe(1)
  })
})

describe('verifyResultChain', () => {
  it.each([
    ['an edited outcome', sql`outcome = 'rejected'`, 'hash_mismatch'],
    ['an edited total', sql`totals = jsonb_set(totals, '{tally,cast,units}', '0')`, 'hash_mismatch'],
    ['an edited electorate', sql`electorate = '[]'::jsonb`, 'hash_mismatch'],
    ['a rewritten link', sql`previous_hash = repeat('0', 64)`, 'previous_hash_mismatch'],
  ])('finds %s in the middle of the chain', async (_name, change, reason) => {
    const scenario = await threeUnits()
    await closedMotion(scenario, { A: 'yes' }, 'Uno')
    const middle = await closedMotion(scenario, { A: 'yes', B: 'no' }, 'Dos')
    await closedMotion(scenario, { B: 'yes' }, 'Tres')
    await db.execute(sql`update result_snapshots set ${change} where id = ${middle.snapshotId}`)
    const report = await verifyResultChain(db, scenario.organizationId)
    expect<unknown>(report).toEqual({
      ok: false,
      checked: 1,
      brokenAt: { snapshotId: middle.snapshotId, motionId: middle.motionId, sequence: 2, reason },
    })
  })

  it('finds a deleted snapshot as a gap in the sequence', async () => {
    const scenario = await threeUnits()
    const first = await closedMotion(scenario, { A: 'yes' }, 'Uno')
    await closedMotion(scenario, { A: 'no' }, 'Dos')
    await db.delete(resultSnapshots).where(eq(resultSnapshots.id, first.snapshotId))
    const report = await verifyResultChain(db, scenario.organizationId)
    expect(report.brokenAt).toMatchObject({ sequence: 2, reason: 'sequence_gap' })
  })
})

describe('recountMotion', () => {
  it('matches the stored result when nothing changed', async () => {
    const scenario = await threeUnits()
    const result = await closedMotion(scenario, { A: 'no', B: 'yes' })
    const recount = await recountMotion(db, {
      organizationId: scenario.organizationId,
      motionId: result.motionId,
    })
    expect(recount).toMatchObject({ matches: true, hashValid: true, differences: [] })
    expect(recount.recomputed.totals).toEqual(result.totals)
  })

  it('detects a vote changed in the votes table after the close', async () => {
    const scenario = await threeUnits()
    const result = await closedMotion(scenario, { A: 'no', B: 'yes' })
    await db
      .update(votes)
      .set({ optionKeys: ['yes'] })
      .where(and(eq(votes.motionId, result.motionId), eq(votes.unitId, scenario.unit('A'))))
    const recount = await recountMotion(db, {
      organizationId: scenario.organizationId,
      motionId: result.motionId,
    })
    expect(recount.matches).toBe(false)
    expect(recount.hashValid).toBe(true)
    expect(recount.differences).toEqual(['totals', 'outcome', 'explanation'])
    expect(recount.recomputed.outcome).toBe('approved')
  })

  it('detects a vote deleted after the close, and a snapshot whose hash no longer matches', async () => {
    const scenario = await threeUnits()
    const result = await closedMotion(scenario, { A: 'no', B: 'yes' })
    const { organizationId } = scenario
    await db
      .delete(votes)
      .where(and(eq(votes.motionId, result.motionId), eq(votes.unitId, scenario.unit('B'))))
    expect((await recountMotion(db, { organizationId, motionId: result.motionId })).differences).toContain(
      'electorate',
    )
    await db.execute(sql`update result_snapshots set explanation = 'x' where id = ${result.snapshotId}`)
    const recount = await recountMotion(db, { organizationId, motionId: result.motionId })
    expect(recount.hashValid).toBe(false)
  })

  it('refuses a motion that has not closed', async () => {
    const scenario = await threeUnits()
    const motionId = await votedMotion(scenario, { A: 'yes' })
    const error = await appErrorOf(() =>
      recountMotion(db, { organizationId: scenario.organizationId, motionId }),
    )
    expect([error.status, error.code]).toEqual([409, 'motion_not_closed'])
  })
})
