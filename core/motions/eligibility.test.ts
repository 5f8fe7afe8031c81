import { describe, expect, it } from 'bun:test'
import type { MotionOption } from '../rules/types.ts'
import {
  authorizeVoter,
  type BallotInput,
  ballotProblem,
  evaluateBallots,
  type MotionVotingFacts,
  motionRefusal,
  refusalStatus,
  type UnitVotingFacts,
} from './eligibility.ts'

const now = new Date('2026-03-14T15:00:00Z')
const yesNo: MotionOption[] = [
  { key: 'yes', label: 'Sí', kind: 'yes' },
  { key: 'no', label: 'No', kind: 'no' },
  { key: 'abstain', label: 'Abstención', kind: 'abstain' },
]
const motion: MotionVotingFacts = {
  status: 'open',
  assemblyStatus: 'in_progress',
  options: yesNo,
  choiceMode: 'single',
  majorityRule: { eligibleOnly: false },
}

function unit(overrides: Partial<UnitVotingFacts> = {}): UnitVotingFacts {
  return {
    unitId: 'u1',
    number: '101',
    coefficient: 25_000_000_000n,
    upToDate: true,
    present: true,
    representativePersonIds: ['owner'],
    proxy: null,
    ...overrides,
  }
}

const proxy = (holderPersonId: string, window: { validFrom?: string; validUntil?: string } = {}) => ({
  id: 'p1',
  holderPersonId,
  validFrom: window.validFrom ? new Date(window.validFrom) : null,
  validUntil: window.validUntil ? new Date(window.validUntil) : null,
})

describe('authorizeVoter', () => {
  it.each([
    ['the representative owner, no proxy', unit(), 'owner', 'owner'],
    ['a stranger', unit(), 'stranger', 'not_authorized'],
    ['the holder of an active proxy', unit({ proxy: proxy('holder') }), 'holder', 'proxy'],
    ['the owner while a proxy is active', unit({ proxy: proxy('holder') }), 'owner', 'proxy_active'],
    ['a stranger while a proxy is active', unit({ proxy: proxy('holder') }), 'stranger', 'not_authorized'],
    [
      'the holder of an expired proxy',
      unit({ proxy: proxy('holder', { validUntil: '2026-03-14T14:00:00Z' }) }),
      'holder',
      'proxy_not_in_effect',
    ],
    [
      'the owner once the proxy expired',
      unit({ proxy: proxy('holder', { validUntil: '2026-03-14T14:00:00Z' }) }),
      'owner',
      'owner',
    ],
    [
      'the holder before the proxy starts',
      unit({ proxy: proxy('holder', { validFrom: '2026-03-15T00:00:00Z' }) }),
      'holder',
      'proxy_not_in_effect',
    ],
    ['the owner who also holds the proxy', unit({ proxy: proxy('owner') }), 'owner', 'proxy'],
    [
      'a co-owner who is not the representative',
      unit({ representativePersonIds: ['other'] }),
      'owner',
      'not_authorized',
    ],
  ])('%s', (_name, facts, personId, expected) => {
    const result = authorizeVoter(facts, personId, now)
    expect<string>(result.ok ? result.role : result.code).toBe(expected)
  })
})

describe('motionRefusal', () => {
  it.each([
    ['open motion in progress', {}, null],
    ['draft motion', { status: 'draft' as const }, 'motion_not_open'],
    ['closed motion', { status: 'closed' as const }, 'motion_not_open'],
    ['suspended assembly', { assemblyStatus: 'suspended' }, 'assembly_not_in_progress'],
  ])('%s', (_name, overrides, code) => {
    expect(motionRefusal({ ...motion, ...overrides })?.code ?? null).toBe(code)
  })
})

describe('ballotProblem', () => {
  const choices: MotionOption[] = [
    { key: 'a', label: 'A', kind: 'choice' },
    { key: 'b', label: 'B', kind: 'choice' },
    { key: 'abstain', label: 'Abstención', kind: 'abstain' },
  ]
  it.each([
    ['one option, single mode', yesNo, 'single', ['yes'], false],
    ['two options, single mode', yesNo, 'single', ['yes', 'no'], true],
    ['no option, single mode', yesNo, 'single', [], true],
    ['unknown key', yesNo, 'single', ['si'], true],
    ['two choices, multiple mode', choices, 'multiple', ['a', 'b'], false],
    ['blank ballot, multiple mode', choices, 'multiple', [], false],
    ['same choice twice', choices, 'multiple', ['a', 'a'], true],
    ['abstain with a choice', choices, 'multiple', ['a', 'abstain'], true],
  ] as const)('%s', (_name, options, choiceMode, keys, refused) => {
    expect(ballotProblem({ options, choiceMode }, keys) !== null).toBe(refused)
  })
})

describe('evaluateBallots', () => {
  const units = new Map([
    ['u1', unit()],
    ['u2', unit({ unitId: 'u2', number: '102', present: false })],
    ['u3', unit({ unitId: 'u3', number: '103', upToDate: false })],
    ['u4', unit({ unitId: 'u4', number: '104', proxy: proxy('owner') })],
    // Someone else's unit whose proxy the voter holds, and nobody has checked it in.
    [
      'u5',
      unit({
        unitId: 'u5',
        number: '105',
        present: false,
        representativePersonIds: ['other'],
        proxy: proxy('owner'),
      }),
    ],
  ])
  const run = (ballots: BallotInput[], eligibleOnly = false) =>
    evaluateBallots({
      motion: { ...motion, majorityRule: { eligibleOnly } },
      personId: 'owner',
      ballots,
      units,
      now,
    })

  it('accepts owned and proxied units together with different choices', () => {
    const { accepted, refused } = run([
      { unitId: 'u1', optionKeys: ['yes'] },
      { unitId: 'u4', optionKeys: ['no'] },
    ])
    expect(refused).toEqual([])
    expect(accepted.map((ballot) => [ballot.unit.number, ballot.role, ballot.optionKeys])).toEqual([
      ['101', 'owner', ['yes']],
      ['104', 'proxy', ['no']],
    ])
  })

  it.each([
    ['absent unit', [{ unitId: 'u2', optionKeys: ['yes'] }], false, 'not_present'],
    ['absent unit voted by its proxy holder', [{ unitId: 'u5', optionKeys: ['yes'] }], false, 'not_present'],
    [
      'unit behind on fees under an eligible-only rule',
      [{ unitId: 'u3', optionKeys: ['yes'] }],
      true,
      'not_up_to_date',
    ],
    ['unknown unit', [{ unitId: 'nope', optionKeys: ['yes'] }], false, 'unknown_unit'],
    ['bad option', [{ unitId: 'u1', optionKeys: ['x'] }], false, 'invalid_options'],
    [
      'duplicate unit',
      [
        { unitId: 'u1', optionKeys: ['yes'] },
        { unitId: 'u1', optionKeys: ['no'] },
      ],
      false,
      'duplicate_unit',
    ],
  ])('refuses an %s', (_name, ballots, eligibleOnly, code) => {
    expect<string[]>(run(ballots, eligibleOnly).refused.map((refusal) => refusal.code)).toEqual([code])
  })

  it('accepts a unit behind on fees when the rule counts every unit', () => {
    expect(run([{ unitId: 'u3', optionKeys: ['yes'] }]).refused).toEqual([])
  })
})

describe('refusalStatus', () => {
  it.each([
    [['invalid_options'], 422],
    [['invalid_options', 'not_present'], 409],
    [['not_present', 'not_authorized', 'invalid_options'], 403],
  ] as const)('%p → %d', (codes, status) => {
    expect(refusalStatus(codes.map((code) => ({ unitId: 'u', code, message: '' })))).toBe(status)
  })
})
