import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { and, eq } from 'drizzle-orm'
import type { Database, DatabaseHandle } from '../../db/client.ts'
import { votes } from '../../db/schema/index.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { createMotion, openMotion } from '../motions/motions.ts'
import { listReceipts, verifyReceipt } from '../motions/receipts.ts'
import {
  addCoOwner,
  addPerson,
  addProxy,
  appErrorOf,
  castAndCommit,
  checkIn,
  checkOut,
  createScenario,
  createTestVotePath,
  revokeProxy,
  type Scenario,
  setAssemblyStatus,
  type TestVotePath,
} from '../motions/testing.ts'
import { resolveVotableUnits } from '../motions/voting-facts.ts'

let handle: DatabaseHandle
let db: Database
let path: TestVotePath

beforeAll(async () => {
  handle = await createTestDatabase()
  db = handle.db
  path = createTestVotePath(db)
})
afterAll(async () => {
  await path.close()
  await handle.close()
})

const admin = { userId: null }

/** Four present units of 25 % (D behind on fees) and an open motion under `rule`. */
async function openScenario(rule = 'simple', arrearsVoting?: 'voice_no_vote' | 'full_vote') {
  const scenario = await createScenario(db, {
    arrearsVoting,
    units: [
      { number: '1A', coefficient: '25', present: 'in_person' },
      { number: '1B', coefficient: '25', present: 'remote' },
      { number: '2A', coefficient: '25', present: 'in_person' },
      { number: '2B', coefficient: '25', present: 'in_person', upToDate: false },
    ],
  })
  const motion = await createMotion(db, {
    organizationId: scenario.organizationId,
    assemblyId: scenario.assemblyId,
    actor: admin,
    title: 'Aprobar el presupuesto',
    majorityRule: rule,
  })
  await openMotion(db, { organizationId: scenario.organizationId, motionId: motion.id, actor: admin })
  return { scenario, motionId: motion.id }
}

function vote(scenario: Scenario, motionId: string, personId: string, ballots: [string, string[]][]) {
  return castAndCommit(path, {
    organizationId: scenario.organizationId,
    motionId,
    actor: { userId: null, personId },
    channel: 'web',
    ballots: ballots.map(([number, optionKeys]) => ({ unitId: scenario.unit(number), optionKeys })),
  })
}

async function storedVotes(motionId: string) {
  return db.select().from(votes).where(eq(votes.motionId, motionId))
}

describe('casting votes', () => {
  it('stores the ballot with the unit weight, a receipt hash and revision 1', async () => {
    const { scenario, motionId } = await openScenario()
    const result = await vote(scenario, motionId, scenario.owner('1A'), [['1A', ['yes']]])
    expect(result.votes).toHaveLength(1)
    expect(result.votes[0]).toMatchObject({ unitNumber: '1A', role: 'owner', revision: 1 })
    expect(result.votes[0]!.receiptCode).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/)
    const [row] = await storedVotes(motionId)
    expect(row).toMatchObject({ optionKeys: ['yes'], weight: '25.000000000', upToDate: true, revision: 1 })
    expect(row!.receipt).toBe(result.votes[0]!.receiptHash)
    expect(row!.receipt).not.toContain(result.votes[0]!.receiptCode.replace('-', ''))
  })

  it('lets a proxy holder vote their own unit and a represented one with different choices', async () => {
    const { scenario, motionId } = await openScenario()
    await addProxy(db, scenario, { unitNumber: '1B', holderPersonId: scenario.owner('1A') })
    const result = await vote(scenario, motionId, scenario.owner('1A'), [
      ['1A', ['yes']],
      ['1B', ['no']],
    ])
    expect(result.votes.map((v) => [v.unitNumber, v.role])).toEqual([
      ['1A', 'owner'],
      ['1B', 'proxy'],
    ])
    const rows = await storedVotes(motionId)
    const byUnit = new Map(rows.map((row) => [row.unitId, row]))
    expect(byUnit.get(scenario.unit('1B'))).toMatchObject({ optionKeys: ['no'], proxyId: expect.any(String) })
    expect(byUnit.get(scenario.unit('1A'))).toMatchObject({ optionKeys: ['yes'], proxyId: null })
  })

  it('blocks the owner while their proxy is active, and lets them vote once it is revoked', async () => {
    const { scenario, motionId } = await openScenario()
    const holder = await addPerson(db, scenario, 'Apoderada Externa')
    const proxyId = await addProxy(db, scenario, { unitNumber: '1B', holderPersonId: holder })
    const error = await appErrorOf(() => vote(scenario, motionId, scenario.owner('1B'), [['1B', ['yes']]]))
    expect(error.status).toBe(403)
    expect(error.code).toBe('ballots_rejected')
    expect(error.details).toEqual({
      rejected: [{ unitId: scenario.unit('1B'), code: 'proxy_active', message: expect.any(String) }],
    })
    await revokeProxy(db, proxyId)
    const accepted = await vote(scenario, motionId, scenario.owner('1B'), [['1B', ['yes']]])
    expect(accepted.votes[0]!.role).toBe('owner')
  })

  it('honours the validity window of a proxy', async () => {
    const { scenario, motionId } = await openScenario()
    const holder = await addPerson(db, scenario, 'Apoderado Vencido')
    await addProxy(db, scenario, {
      unitNumber: '2A',
      holderPersonId: holder,
      validUntil: new Date(Date.now() - 60_000),
    })
    const error = await appErrorOf(() => vote(scenario, motionId, holder, [['2A', ['yes']]]))
    expect((error.details as { rejected: { code: string }[] }).rejected[0]!.code).toBe('proxy_not_in_effect')
    const owner = await vote(scenario, motionId, scenario.owner('2A'), [['2A', ['no']]])
    expect(owner.votes[0]!.role).toBe('owner')
  })

  it('stores nothing when one ballot of the request is refused, and names the unit and reason', async () => {
    const { scenario, motionId } = await openScenario()
    const error = await appErrorOf(() =>
      vote(scenario, motionId, scenario.owner('1A'), [
        ['1A', ['yes']],
        ['2A', ['yes']],
      ]),
    )
    expect(error.status).toBe(403)
    expect(error.details).toEqual({
      rejected: [{ unitId: scenario.unit('2A'), code: 'not_authorized', message: expect.any(String) }],
    })
    expect(await storedVotes(motionId)).toHaveLength(0)
  })

  it.each([
    ['an unknown option', ['maybe'], 'invalid_options', 422],
    ['two options in a single-choice motion', ['yes', 'no'], 'invalid_options', 422],
    ['no option in a single-choice motion', [], 'invalid_options', 422],
  ])('refuses %s with 422', async (_name, optionKeys, code, status) => {
    const { scenario, motionId } = await openScenario()
    const error = await appErrorOf(() => vote(scenario, motionId, scenario.owner('1A'), [['1A', optionKeys]]))
    expect(error.status).toBe(status)
    expect((error.details as { rejected: { code: string }[] }).rejected.map((r) => r.code)).toEqual([code])
  })

  it('refuses a unit that is not checked in (409) and accepts it after check-in', async () => {
    const { scenario, motionId } = await openScenario()
    await checkOut(db, scenario, '1A')
    const error = await appErrorOf(() => vote(scenario, motionId, scenario.owner('1A'), [['1A', ['yes']]]))
    expect(error.status).toBe(409)
    expect((error.details as { rejected: { code: string }[] }).rejected[0]!.code).toBe('not_present')
    await checkIn(db, scenario, '1A', 'remote')
    expect((await vote(scenario, motionId, scenario.owner('1A'), [['1A', ['yes']]])).votes).toHaveLength(1)
  })

  it('refuses a unit behind on fees only when the rule counts up-to-date units', async () => {
    const strict = await openScenario('ley284-art35-first-call')
    const error = await appErrorOf(() =>
      vote(strict.scenario, strict.motionId, strict.scenario.owner('2B'), [['2B', ['no']]]),
    )
    expect(error.status).toBe(403)
    expect((error.details as { rejected: { code: string }[] }).rejected[0]!.code).toBe('not_up_to_date')
    // A PH whose by-laws let units in arrears vote: only a rule over up-to-date units refuses them.
    const lax = await openScenario('simple', 'full_vote')
    const accepted = await vote(lax.scenario, lax.motionId, lax.scenario.owner('2B'), [['2B', ['no']]])
    expect(accepted.votes).toHaveLength(1)
    // The default ("voz pero no voto"): refused under any rule.
    const byDefault = await openScenario('simple')
    const refused = await appErrorOf(() =>
      vote(byDefault.scenario, byDefault.motionId, byDefault.scenario.owner('2B'), [['2B', ['no']]]),
    )
    expect((refused.details as { rejected: { code: string }[] }).rejected[0]!.code).toBe('not_up_to_date')
  })

  it('refuses a co-owner who is not the representative, a duplicate unit and a unit of another PH', async () => {
    const { scenario, motionId } = await openScenario()
    const coOwner = await addCoOwner(db, scenario, '1A')
    const other = await openScenario()
    const error = await appErrorOf(() =>
      castAndCommit(path, {
        organizationId: scenario.organizationId,
        motionId,
        actor: { userId: null, personId: coOwner },
        channel: 'web',
        ballots: [
          { unitId: scenario.unit('1A'), optionKeys: ['yes'] },
          { unitId: scenario.unit('1A'), optionKeys: ['no'] },
          { unitId: other.scenario.unit('1A'), optionKeys: ['yes'] },
        ],
      }),
    )
    expect(error.status).toBe(403)
    expect((error.details as { rejected: { code: string }[] }).rejected.map((r) => r.code)).toEqual([
      'not_authorized',
      'duplicate_unit',
      'unknown_unit',
    ])
  })

  it('keeps the last of several votes and counts revisions', async () => {
    const { scenario, motionId } = await openScenario()
    await vote(scenario, motionId, scenario.owner('1A'), [['1A', ['yes']]])
    await vote(scenario, motionId, scenario.owner('1A'), [['1A', ['abstain']]])
    const last = await vote(scenario, motionId, scenario.owner('1A'), [['1A', ['no']]])
    expect(last.votes[0]!.revision).toBe(3)
    const rows = await storedVotes(motionId)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ optionKeys: ['no'], revision: 3, receipt: last.votes[0]!.receiptHash })
  })

  it.each([
    ['a closed motion', 'closed', 'motion_not_open'],
    ['a suspended assembly', 'suspended', 'assembly_not_in_progress'],
  ])('refuses votes on %s with 409', async (_name, what, code) => {
    const { scenario, motionId } = await openScenario()
    if (what === 'closed')
      await path.service.close({ organizationId: scenario.organizationId, motionId, actor: admin })
    else await setAssemblyStatus(db, scenario, 'suspended')
    const error = await appErrorOf(() => vote(scenario, motionId, scenario.owner('1A'), [['1A', ['yes']]]))
    expect([error.status, error.code]).toEqual([409, code])
    expect(await storedVotes(motionId)).toHaveLength(0)
  })

  it('refuses an actor without a person, an empty request and an unknown motion', async () => {
    const { scenario, motionId } = await openScenario()
    const base = { organizationId: scenario.organizationId, motionId, channel: 'web' as const }
    const ballots = [{ unitId: scenario.unit('1A'), optionKeys: ['yes'] }]
    const cases = [
      [castAndCommit(path, { ...base, actor: { userId: null }, ballots }), 403, 'voter_unknown'],
      [
        castAndCommit(path, {
          ...base,
          actor: { userId: null, personId: scenario.owner('1A') },
          ballots: [],
        }),
        422,
        'no_ballots',
      ],
      [
        castAndCommit(path, {
          ...base,
          motionId: crypto.randomUUID(),
          actor: { userId: null, personId: scenario.owner('1A') },
          ballots,
        }),
        404,
        'not_found',
      ],
    ] as const
    for (const [promise, status, code] of cases) {
      const error = await appErrorOf(() => promise)
      expect([error.status, error.code]).toEqual([status, code])
    }
  })

  it('accepts every vote committed before a racing close and none after it', async () => {
    const units = Array.from({ length: 12 }, (_, i) => ({
      number: `U${i}`,
      coefficient: '8.333333333',
      present: 'in_person' as const,
    }))
    units[0]!.coefficient = '8.333333337'
    const scenario = await createScenario(db, { units })
    const { organizationId } = scenario
    const motion = await createMotion(db, {
      organizationId,
      assemblyId: scenario.assemblyId,
      actor: admin,
      title: 'Carrera',
    })
    await openMotion(db, { organizationId, motionId: motion.id, actor: admin })
    const attempts = units.map((unit) =>
      vote(scenario, motion.id, scenario.owner(unit.number), [[unit.number, ['yes']]]).then(
        (result) => result.votes[0]!.receiptHash,
        () => null,
      ),
    )
    const closing = path.service.close({ organizationId, motionId: motion.id, actor: admin })
    const accepted = (await Promise.all(attempts)).filter((hash): hash is string => hash !== null)
    const { result } = await closing
    expect(result.totals.receipts).toEqual([...accepted].sort())
    expect(await storedVotes(motion.id)).toHaveLength(accepted.length)
  })
})

describe('receipts', () => {
  it('verify while open, appear on the public list, and are counted in the result after close', async () => {
    const { scenario, motionId } = await openScenario()
    const { organizationId } = scenario
    const [first] = (await vote(scenario, motionId, scenario.owner('1A'), [['1A', ['yes']]])).votes
    await vote(scenario, motionId, scenario.owner('2A'), [['2A', ['no']]])
    const open = await verifyReceipt(db, { organizationId, motionId, code: first!.receiptCode.toLowerCase() })
    expect(open).toEqual({
      receiptHash: first!.receiptHash,
      found: true,
      motionStatus: 'open',
      countedInResult: null,
    })

    const list = await listReceipts(db, { organizationId, motionId })
    expect(list.final).toBe(false)
    expect(list.receipts).toHaveLength(2)
    expect(list.receipts).toEqual([...list.receipts].sort())
    expect(list.receipts).toContain(first!.receiptHash)

    await path.service.close({ organizationId, motionId, actor: admin })
    const closed = await verifyReceipt(db, { organizationId, motionId, code: first!.receiptCode })
    expect(closed).toMatchObject({ found: true, motionStatus: 'closed', countedInResult: true })
    expect((await listReceipts(db, { organizationId, motionId })).final).toBe(true)
  })

  it('does not verify a code that was never issued or that a re-vote replaced', async () => {
    const { scenario, motionId } = await openScenario()
    const { organizationId } = scenario
    const [old] = (await vote(scenario, motionId, scenario.owner('1A'), [['1A', ['yes']]])).votes
    await vote(scenario, motionId, scenario.owner('1A'), [['1A', ['no']]])
    expect((await verifyReceipt(db, { organizationId, motionId, code: old!.receiptCode })).found).toBe(false)
    expect((await verifyReceipt(db, { organizationId, motionId, code: '00000-00000' })).found).toBe(false)
    const error = await appErrorOf(() => verifyReceipt(db, { organizationId, motionId, code: 'not a code' }))
    expect([error.status, error.code]).toEqual([422, 'invalid_receipt_code'])
  })
})

describe('resolveVotableUnits', () => {
  it('lists owned units without a proxy and units held by proxy, with the reason', async () => {
    const { scenario } = await openScenario()
    const { organizationId, assemblyId } = scenario
    const holder = scenario.owner('1A')
    await addProxy(db, scenario, { unitNumber: '2A', holderPersonId: holder })
    await addProxy(db, scenario, { unitNumber: '1B', holderPersonId: scenario.owner('2B') })
    const forHolder = await resolveVotableUnits(db, { organizationId, assemblyId, personId: holder })
    expect(forHolder.map((unit) => [unit.number, unit.role])).toEqual([
      ['1A', 'owner'],
      ['2A', 'proxy'],
    ])
    // The owner of 1B has given a proxy, so 1B is not theirs to vote.
    expect(
      await resolveVotableUnits(db, { organizationId, assemblyId, personId: scenario.owner('1B') }),
    ).toEqual([])
    const other = await resolveVotableUnits(db, {
      organizationId,
      assemblyId,
      personId: scenario.owner('2B'),
    })
    expect(other.map((unit) => [unit.number, unit.role, unit.upToDate, unit.present])).toEqual([
      ['1B', 'proxy', true, true],
      ['2B', 'owner', false, true],
    ])
  })

  it('agrees with the vote service on a third-party holder', async () => {
    const { scenario, motionId } = await openScenario()
    const holder = await addPerson(db, scenario, 'Tercero')
    await addProxy(db, scenario, { unitNumber: '1A', holderPersonId: holder })
    await addProxy(db, scenario, { unitNumber: '2A', holderPersonId: holder })
    const units = await resolveVotableUnits(db, { ...scenario, personId: holder })
    const result = await vote(
      scenario,
      motionId,
      holder,
      units.map((unit) => [unit.number, ['yes']]),
    )
    expect(result.votes.map((v) => v.unitNumber)).toEqual(['1A', '2A'])
    const [row] = await db
      .select()
      .from(votes)
      .where(and(eq(votes.motionId, motionId), eq(votes.unitId, scenario.unit('1A'))))
    expect(row!.castByPersonId).toBe(holder)
  })
})
