import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { silentLogger } from '../../../../core/log.ts'
import { createVoteWriter } from '../../../../core/votes/writer.ts'
import {
  createMotionTestApp,
  type Ph,
  SETUP_TIMEOUT_MS,
} from '../../../organizations/[organizationId]/motions/_testing.ts'

// The public receipt list and receipt check: no sign-in, hashes only.
let t: Awaited<ReturnType<typeof createMotionTestApp>>
let ph: Ph
let motionId: string
let receipts: Map<string, { receiptCode: string; receiptHash: string }>

beforeAll(async () => {
  t = await createMotionTestApp()
  ph = await t.createPh()
  ;({ motionId, receipts } = await t.closedMotion(ph, { secret: true }))
}, SETUP_TIMEOUT_MS)
afterAll(() => t.services.close(), SETUP_TIMEOUT_MS)

const anonymous = (path: string, ip = '203.0.113.20') =>
  t.send('GET', `/api/public/motions${path}`, undefined, null, { 'x-forwarded-for': ip })

describe('GET /api/public/motions/:motionId/receipts', () => {
  it('lists the receipt hashes of a closed motion without sign-in, as final', async () => {
    const res = await anonymous(`/${motionId}/receipts`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ motionId, status: 'closed', final: true })
    expect(res.body.receipts).toContain(receipts.get('1A')!.receiptHash)
    expect(res.body.receipts).toHaveLength(3)
  })

  it('reveals neither units nor choices', async () => {
    const res = await anonymous(`/${motionId}/receipts`)
    expect(res.body.receipts.every((hash: string) => /^[0-9a-f]{64}$/.test(hash))).toBe(true)
    expect(res.text).not.toContain(ph.scenario.unit('1A'))
    expect(res.text).not.toContain('yes')
  })

  it('lists the committed receipts of an open motion, not final', async () => {
    const openId = await t.createMotion(ph)
    await t.openMotion(ph, openId)
    const vote = await t.vote(ph, openId, ph.owners['1A'], [{ unit: '1A', options: ['no'] }])
    // In production the realtime process's batch writer commits accepted votes; here a writer is drained.
    await createVoteWriter({ bus: t.services.bus, db: t.services.db, log: silentLogger }).drain()
    const res = await anonymous(`/${openId}/receipts`)
    expect(res.body).toMatchObject({
      status: 'open',
      final: false,
      receipts: [vote.body.votes[0].receiptHash],
    })
  })

  it('answers 404 for an unknown motion', async () => {
    const res = await anonymous(`/${crypto.randomUUID()}/receipts`)
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('not_found')
  })

  it('answers 429 with Retry-After past the per-address limit', async () => {
    const ip = '198.51.100.77'
    // The limiter allows 600 requests a minute per address; use them up without 600 requests.
    for (let i = 0; i < 600; i++) await t.services.limiters.webhook.hit(ip)
    const res = await anonymous(`/${motionId}/receipts`, ip)
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await anonymous(`/${motionId}/receipts`, '198.51.100.78')).status).toBe(200)
  })
})

describe('GET /api/public/motions/:motionId/receipts/:code', () => {
  it('confirms that a receipt code was counted', async () => {
    const { receiptCode, receiptHash } = receipts.get('2B')!
    const res = await anonymous(`/${motionId}/receipts/${receiptCode}`)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ receiptHash, found: true, motionStatus: 'closed', countedInResult: true })
  })

  it('accepts the code typed in lower case without the dash', async () => {
    const { receiptCode, receiptHash } = receipts.get('1A')!
    const res = await anonymous(`/${motionId}/receipts/${receiptCode.replace('-', '').toLowerCase()}`)
    expect(res.body).toMatchObject({ receiptHash, found: true })
  })

  it('answers found: false for a well-formed code nobody was given', async () => {
    const given = new Set([...receipts.values()].map((r) => r.receiptCode))
    const code = given.has('00000-00000') ? '11111-11111' : '00000-00000'
    const res = await anonymous(`/${motionId}/receipts/${code}`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ found: false, countedInResult: false })
  })

  it.each([
    ['too short', 'ABC12'],
    ['a letter no code uses', 'UUUUU-UUUUU'],
    ['punctuation', 'ABCDE.12345'],
  ])('answers 422 for a malformed code (%s)', async (_name, code) => {
    const res = await anonymous(`/${motionId}/receipts/${code}`)
    expect(res.status).toBe(422)
  })

  it('answers 404 for an unknown motion', async () => {
    const res = await anonymous(`/${crypto.randomUUID()}/receipts/${receipts.get('1A')!.receiptCode}`)
    expect(res.status).toBe(404)
  })
})
