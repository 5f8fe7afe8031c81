import { afterAll, describe, expect, it } from 'bun:test'
import { createTestBus } from '../bus/testing.ts'
import { createChangeNotifier } from '../changes/notifier.ts'
import {
  type ChangeKind,
  membershipVersion,
  membershipVersionKey,
  votingFactsVersion,
  votingFactsVersionKey,
} from '../changes/versions.ts'
import { createVoteQueue, type QueuedBallot } from './queue.ts'

const bus = createTestBus()
const queue = createVoteQueue(bus)
const changes = createChangeNotifier({ bus })
afterAll(() => bus.close())

function ballot(organizationId: string, motionId: string): QueuedBallot {
  return {
    organizationId,
    assemblyId: crypto.randomUUID(),
    motionId,
    unitId: crypto.randomUUID(),
    optionKeys: ['yes'],
    weight: '10.000000000',
    upToDate: true,
    channel: 'web',
    castByUserId: null,
    castByPersonId: null,
    proxyId: null,
    receipt: crypto.randomUUID(),
    castAt: Date.now(),
  }
}

/*
 * The accept step takes a ballot only while the facts its decision rests on are current. Facts that
 * decide eligibility (attendance, proxies, roster, the assembly's status) make it answer stale_facts
 * (the vote is decided again); a change of roles, a motion or the agenda does not disturb a vote.
 */
describe('the accept step and the kinds of change', () => {
  const table: Array<[ChangeKind, 'accepted' | 'stale_facts']> = [
    ['attendance', 'stale_facts'],
    ['proxy', 'stale_facts'],
    ['roster', 'stale_facts'],
    ['assembly', 'stale_facts'],
    ['membership', 'accepted'],
    ['motion', 'accepted'],
    ['agenda', 'accepted'],
  ]
  for (const [kind, outcome] of table) {
    it(`a ${kind} change after the decision: ${outcome}`, async () => {
      const organizationId = crypto.randomUUID()
      const motionId = crypto.randomUUID()
      await queue.open(motionId)
      const decidedAt = await votingFactsVersion(bus, organizationId)
      await changes.announce({ organizationId, assemblyId: crypto.randomUUID(), kinds: [kind], unitIds: [] })
      const result = await queue.accept(motionId, [ballot(organizationId, motionId)], {
        facts: { key: votingFactsVersionKey(organizationId), version: decidedAt },
      })
      expect(result.ok ? 'accepted' : result.reason).toBe(outcome)
    })
  }
})

/*
 * The same step checks the voter's membership when the caller took it from a process cache without
 * reading its version (castAsMember): a change of who the user is in the PH (roles, the person linked
 * to the user, proxies held) answers stale_membership and nothing is appended.
 */
describe('the accept step and a held membership', () => {
  const table: Array<[ChangeKind, 'accepted' | 'stale_membership']> = [
    ['membership', 'stale_membership'],
    ['proxy', 'stale_membership'],
    ['attendance', 'accepted'],
    ['roster', 'accepted'],
    ['motion', 'accepted'],
  ]
  for (const [kind, outcome] of table) {
    it(`a ${kind} change after the membership was read: ${outcome}`, async () => {
      const organizationId = crypto.randomUUID()
      const motionId = crypto.randomUUID()
      await queue.open(motionId)
      const readAt = await membershipVersion(bus, organizationId)
      await changes.announce({ organizationId, assemblyId: crypto.randomUUID(), kinds: [kind], unitIds: [] })
      const result = await queue.accept(motionId, [ballot(organizationId, motionId)], {
        membership: { key: membershipVersionKey(organizationId), version: readAt },
      })
      expect(result.ok ? 'accepted' : result.reason).toBe(outcome)
      expect((await queue.latest(motionId)).length).toBe(outcome === 'accepted' ? 1 : 0)
    })
  }
})
