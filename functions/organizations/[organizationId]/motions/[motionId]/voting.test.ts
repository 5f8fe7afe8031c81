import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { step } from '../../../../../core/story-testing.ts'
import { createMotionTestApp, type Ph, SETUP_TIMEOUT_MS } from '../_testing.ts'

// Opening, voting, closing and verifying a motion through the HTTP API, as the admin, owners and a
// proxy holder of one PH would. The vote path commits asynchronously; closing commits every ballot.
let t: Awaited<ReturnType<typeof createMotionTestApp>>
let ph: Ph
let absentPh: Ph

beforeAll(async () => {
  t = await createMotionTestApp()
  ph = await t.createPh()
  absentPh = await t.createPh({ absent: true })
}, SETUP_TIMEOUT_MS)
afterAll(() => t.services.close(), SETUP_TIMEOUT_MS)

describe('opening a motion', () => {
  it('refuses with 409 quorum_not_reached when the quorum is not reached, and explains it', async () => {
    const motionId = await t.createMotion(absentPh)
    const res = await t.send('POST', absentPh.path(`/motions/${motionId}/open`), undefined, absentPh.admin)
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('quorum_not_reached')
    expect(res.body.error.details).toMatchObject({
      reached: false,
      byCoefficient: { present: '0.000000000' },
    })
  })

  it('opens without a quorum check when the motion does not require one', async () => {
    const motionId = await t.createMotion(absentPh, { requiresQuorum: false })
    const res = await t.send('POST', absentPh.path(`/motions/${motionId}/open`), undefined, absentPh.admin)
    expect(res.status).toBe(200)
    expect(res.body.quorum).toBeNull()
  })

  it('opens when the quorum is reached and reports the quorum it checked', async () => {
    const motionId = await t.createMotion(ph)
    const res = await t.send('POST', ph.path(`/motions/${motionId}/open`), undefined, ph.admin)
    expect(res.status).toBe(200)
    expect(res.body.motion).toMatchObject({ id: motionId, status: 'open', openedAt: expect.any(String) })
    expect(res.body.quorum).toMatchObject({ reached: true, byCoefficient: { present: '90.000000000' } })
  })

  it('refuses an owner (403)', async () => {
    const motionId = await t.createMotion(ph)
    const res = await t.send('POST', ph.path(`/motions/${motionId}/open`), undefined, ph.owners['1A'])
    expect(res.status).toBe(403)
  })

  it('refuses to open a motion twice (409)', async () => {
    const motionId = await t.createMotion(ph)
    await t.openMotion(ph, motionId)
    const res = await t.send('POST', ph.path(`/motions/${motionId}/open`), undefined, ph.admin)
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('motion_not_draft')
  })
})

it('a motion from opening to a verified result', async () => {
  let motionId: string
  const receipts: Record<string, { receiptCode: string; receiptHash: string }> = {}
  let closed: Awaited<ReturnType<typeof t.send>>

  await step('setup', async () => {
    motionId = await t.createMotion(ph)
    await t.openMotion(ph, motionId)
  })

  await step('accepts an owner’s vote and returns a receipt', async () => {
    const res = await t.vote(ph, motionId, ph.owners['1A'], [{ unit: '1A', options: ['yes'] }])
    expect(res.status).toBe(200)
    expect(res.body.votes).toHaveLength(1)
    expect(res.body.votes[0]).toMatchObject({ unitNumber: '1A', role: 'owner', proxyId: null })
    expect(res.body.votes[0].receiptCode).toMatch(/^[0-9A-Z]{5}-[0-9A-Z]{5}$/)
    receipts['1A'] = res.body.votes[0]
  })

  await step('accepts a second owner’s vote', async () => {
    const res = await t.vote(ph, motionId, ph.owners['1B'], [{ unit: '1B', options: ['no'] }])
    expect(res.status).toBe(200)
    receipts['1B-first'] = res.body.votes[0]
  })

  await step(
    'lets a proxy holder vote both represented units with different choices in one request',
    async () => {
      const res = await t.vote(ph, motionId, ph.holder, [
        { unit: '2A', options: ['yes'] },
        { unit: '2B', options: ['no'] },
      ])
      expect(res.status).toBe(200)
      expect(res.body.votes.map((v: { unitNumber: string; role: string }) => [v.unitNumber, v.role])).toEqual(
        [
          ['2A', 'proxy'],
          ['2B', 'proxy'],
        ],
      )
      receipts['2A'] = res.body.votes[0]
    },
  )

  await step('accepts a re-vote while open (the last one counts)', async () => {
    const res = await t.vote(ph, motionId, ph.owners['1B'], [{ unit: '1B', options: ['yes'] }])
    expect(res.status).toBe(200)
    expect(res.body.votes[0].receiptHash).not.toBe(receipts['1B-first']!.receiptHash)
    receipts['1B'] = res.body.votes[0]
  })

  await step('refuses an owner voting someone else’s unit with 403 naming the unit', async () => {
    const res = await t.vote(ph, motionId, ph.owners['1A'], [{ unit: '1B', options: ['no'] }])
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('ballots_rejected')
    expect(res.body.error.details.rejected).toEqual([
      { unitId: ph.scenario.unit('1B'), code: 'not_authorized', message: expect.stringContaining('1B') },
    ])
  })

  await step('answers 404 to a signed-in user who is not a member of the PH', async () => {
    const res = await t.vote(ph, motionId, ph.outsider, [{ unit: '1A', options: ['yes'] }])
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('not_found')
  })

  await step('closes the motion and returns the frozen result', async () => {
    closed = await t.closeMotion(ph, motionId)
    expect(closed.status).toBe(200)
    expect(closed.body.motion.status).toBe('closed')
    // yes: 1A 30 + 1B 25 (re-vote) + 2A 20; no: 2B 15.
    const tally = Object.fromEntries(
      closed.body.result.totals.tally.options.map((row: { key: string; coefficient: string }) => [
        row.key,
        row.coefficient,
      ]),
    )
    expect(tally).toEqual({ yes: '75.000000000', no: '15.000000000', abstain: '0.000000000' })
    expect(closed.body.result.outcome).toBe('approved')
  })

  await step('refuses votes after the close with 409', async () => {
    const res = await t.vote(ph, motionId, ph.owners['1A'], [{ unit: '1A', options: ['no'] }])
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('motion_not_open')
  })

  await step('refuses to close twice with 409', async () => {
    const res = await t.closeMotion(ph, motionId)
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('motion_already_closed')
  })

  await step('shows members the stored result', async () => {
    const res = await t.send('GET', ph.path(`/motions/${motionId}/result`), undefined, ph.owners['3A'])
    expect(res.status).toBe(200)
    expect(res.body).toEqual(closed.body.result)
  })

  await step('counts only the last vote of a re-voting unit', async () => {
    const res = await t.send('GET', ph.path(`/motions/${motionId}/result`), undefined, ph.admin)
    expect(res.body.totals.receipts).toContain(receipts['1B']!.receiptHash)
    expect(res.body.totals.receipts).not.toContain(receipts['1B-first']!.receiptHash)
  })

  await step('verifies the result against a recount', async () => {
    const res = await t.send('GET', ph.path(`/motions/${motionId}/recount`), undefined, ph.admin)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ matches: true, hashValid: true, differences: [] })
    expect(res.body.recomputed.totals).toEqual(closed.body.result.totals)
  })

  await step('lists the result among the assembly’s results', async () => {
    const res = await t.send(
      'GET',
      ph.path(`/assemblies/${ph.assemblyId}/results`),
      undefined,
      ph.owners['1A'],
    )
    expect(res.status).toBe(200)
    const entry = res.body.motions.find((m: { motionId: string }) => m.motionId === motionId)
    expect(entry).toMatchObject({
      status: 'closed',
      result: { outcome: 'approved', hash: closed.body.result.hash },
    })
  })
}, 120_000)

describe('votable units', () => {
  let motionId: string
  beforeAll(async () => {
    motionId = await t.createMotion(ph)
  }, SETUP_TIMEOUT_MS)

  const unitsOf = async (user: Ph['admin']) => {
    const res = await t.send('GET', ph.path(`/motions/${motionId}/votable-units`), undefined, user)
    expect(res.status).toBe(200)
    return res.body.units.map((unit: { number: string; role: string }) => `${unit.number}:${unit.role}`)
  }

  it('shows a proxy holder every represented unit', async () => {
    expect(await unitsOf(ph.holder)).toEqual(['2A:proxy', '2B:proxy'])
  })

  it('shows an owner their own unit, present or not', async () => {
    expect(await unitsOf(ph.owners['3A'])).toEqual(['3A:owner'])
  })

  it('shows nothing to a member who is no person of the PH', async () => {
    expect(await unitsOf(ph.admin)).toEqual([])
  })

  it('answers 404 for a motion of another PH', async () => {
    const res = await t.send(
      'GET',
      absentPh.path(`/motions/${motionId}/votable-units`),
      undefined,
      absentPh.admin,
    )
    expect(res.status).toBe(404)
  })
})

describe('vote requests', () => {
  let motionId: string
  beforeAll(async () => {
    motionId = await t.createMotion(ph, { requiresQuorum: false })
    await t.openMotion(ph, motionId)
  }, SETUP_TIMEOUT_MS)

  it('refuses votes on a motion that is not open yet (409)', async () => {
    const draftId = await t.createMotion(ph)
    const res = await t.vote(ph, draftId, ph.owners['1A'], [{ unit: '1A', options: ['yes'] }])
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('motion_not_open')
  })

  it('refuses an absent unit with 409 not_present', async () => {
    const res = await t.vote(ph, motionId, ph.owners['3A'], [{ unit: '3A', options: ['yes'] }])
    expect(res.status).toBe(409)
    expect(res.body.error.details.rejected[0].code).toBe('not_present')
  })

  it('refuses a member who is no person of the PH with 403 voter_unknown', async () => {
    const res = await t.vote(ph, motionId, ph.admin, [{ unit: '1A', options: ['yes'] }])
    expect(res.status).toBe(403)
    expect(res.body.error.code).toBe('voter_unknown')
  })

  it('refuses an option the motion does not have with 422', async () => {
    const res = await t.vote(ph, motionId, ph.owners['1A'], [{ unit: '1A', options: ['maybe'] }])
    expect(res.status).toBe(422)
    expect(res.body.error.details.rejected[0].code).toBe('invalid_options')
  })

  it('accepts the api channel', async () => {
    const res = await t.vote(ph, motionId, ph.owners['1A'], [{ unit: '1A', options: ['yes'] }], {
      channel: 'api',
    })
    expect(res.status).toBe(200)
  })

  it.each([
    ['another channel', { channel: 'telegram' }, 'body.channel'],
    ['no ballots', { ballots: [] }, 'body.ballots'],
    [
      'more than 500 ballots',
      { ballots: Array.from({ length: 501 }, () => ({ unitId: crypto.randomUUID(), optionKeys: ['yes'] })) },
      'body.ballots',
    ],
    [
      'a unit id that is no uuid',
      { ballots: [{ unitId: '1A', optionKeys: ['yes'] }] },
      'body.ballots.0.unitId',
    ],
  ])('answers 422 naming the field for %s', async (_name, extra, field) => {
    const res = await t.vote(ph, motionId, ph.owners['1A'], [{ unit: '1A', options: ['yes'] }], extra)
    expect(res.status).toBe(422)
    expect(res.body.error.details.map((issue: { field: string }) => issue.field)).toContain(field)
  })
})

describe('closing', () => {
  it('answers 409 for a draft and leaves it able to open and take votes', async () => {
    const motionId = await t.createMotion(ph)
    const early = await t.closeMotion(ph, motionId)
    expect(early.status).toBe(409)
    expect(early.body.error.code).toBe('motion_not_open')
    await t.openMotion(ph, motionId)
    const res = await t.vote(ph, motionId, ph.owners['1A'], [{ unit: '1A', options: ['yes'] }])
    expect(res.status).toBe(200)
  })

  it('answers 404 for a motion of another PH and leaves it open for votes there', async () => {
    const motionId = await t.createMotion(ph, { requiresQuorum: false })
    await t.openMotion(ph, motionId)
    const res = await t.send('POST', absentPh.path(`/motions/${motionId}/close`), undefined, absentPh.admin)
    expect(res.status).toBe(404)
    const vote = await t.vote(ph, motionId, ph.owners['1A'], [{ unit: '1A', options: ['yes'] }])
    expect(vote.status).toBe(200)
  })
})

describe('results', () => {
  it('answers 409 motion_not_closed before the close', async () => {
    const motionId = await t.createMotion(ph)
    const res = await t.send('GET', ph.path(`/motions/${motionId}/result`), undefined, ph.owners['1A'])
    expect(res.status).toBe(409)
    expect(res.body.error.code).toBe('motion_not_closed')
  })

  it('answers 404 for an unknown motion', async () => {
    const res = await t.send(
      'GET',
      ph.path(`/motions/${crypto.randomUUID()}/result`),
      undefined,
      ph.owners['1A'],
    )
    expect(res.status).toBe(404)
  })

  it('keeps the recount for PH admins (403 for an owner)', async () => {
    const { motionId } = await t.closedMotion(ph)
    const res = await t.send('GET', ph.path(`/motions/${motionId}/recount`), undefined, ph.owners['1A'])
    expect(res.status).toBe(403)
  })

  it('answers 404 for the results of an assembly of another PH', async () => {
    const res = await t.send(
      'GET',
      ph.path(`/assemblies/${absentPh.assemblyId}/results`),
      undefined,
      ph.admin,
    )
    expect(res.status).toBe(404)
  })
})
