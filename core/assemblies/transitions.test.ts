import { describe, expect, it } from 'bun:test'
import {
  acceptsAttendance,
  acceptsVotes,
  canTransition,
  isFinished,
  transitionEventKind,
} from './transitions.ts'
import type { AssemblyStatus } from './types.ts'

const STATUSES: AssemblyStatus[] = ['draft', 'convened', 'in_progress', 'suspended', 'closed', 'cancelled']

// Rows: from; columns: to, in the order of STATUSES. 1 = allowed.
const TABLE: Record<AssemblyStatus, string> = {
  draft: '010001',
  convened: '001001',
  in_progress: '000110',
  suspended: '001010',
  closed: '000000',
  cancelled: '000000',
}

describe('canTransition', () => {
  const cases = STATUSES.flatMap((from) =>
    STATUSES.map((to, i) => [from, to, TABLE[from][i] === '1'] as const),
  )
  it.each(cases)('%s → %s: %p', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed)
  })
})

describe('transitionEventKind', () => {
  it.each<[AssemblyStatus, AssemblyStatus, string]>([
    ['draft', 'convened', 'convened'],
    ['convened', 'in_progress', 'started'],
    ['in_progress', 'suspended', 'suspended'],
    ['suspended', 'in_progress', 'resumed'],
    ['in_progress', 'closed', 'closed'],
    ['suspended', 'closed', 'closed'],
    ['convened', 'cancelled', 'cancelled'],
  ])('%s → %s writes %p', (from, to, kind) => {
    expect(transitionEventKind(from, to)).toBe(kind)
  })
})

describe('status predicates', () => {
  it.each<[AssemblyStatus, boolean, boolean, boolean]>([
    ['draft', false, false, false],
    ['convened', false, true, false],
    ['in_progress', false, true, true],
    ['suspended', false, true, false],
    ['closed', true, false, false],
    ['cancelled', true, false, false],
  ])('%s: finished %p, attendance %p, votes %p', (status, finished, attendance, votes) => {
    expect([isFinished(status), acceptsAttendance(status), acceptsVotes(status)]).toEqual([
      finished,
      attendance,
      votes,
    ])
  })
})
