import { describe, expect, it } from 'bun:test'
import { maxChoicesOf } from '../motions/ballot-schema.ts'
import type { Motion } from '../motions/types.ts'
import { needsSelection } from './selection.ts'

const option = (key: string, kind: 'choice' | 'abstain' = 'choice') => ({ key, label: key, kind })
const motion = (choiceMode: 'single' | 'multiple', count: number, extra: Record<string, unknown> = {}) =>
  ({
    choiceMode,
    options: [...Array.from({ length: count }, (_, i) => option(`c${i}`)), option('abs', 'abstain')],
    ...extra,
  }) as unknown as Motion

describe('ballots that need ticking or pages', () => {
  it('allows one choice in single mode and every real option in multiple mode', () => {
    expect(maxChoicesOf(motion('single', 4))).toBe(1)
    expect(maxChoicesOf(motion('multiple', 4))).toBe(4)
  })

  it('allows up to an election’s seats, never above its candidates', () => {
    expect(maxChoicesOf(motion('multiple', 4, { seats: 2 }))).toBe(2)
    expect(maxChoicesOf(motion('multiple', 4, { seats: 9 }))).toBe(4)
    expect(maxChoicesOf(motion('multiple', 4, { seats: null }))).toBe(4)
  })

  it('pages on WhatsApp only past a list’s 10 rows, and ticks multiple choice everywhere', () => {
    expect(needsSelection('whatsapp', motion('single', 9))).toBe(false)
    expect(needsSelection('whatsapp', motion('single', 11))).toBe(true)
    expect(needsSelection('telegram', motion('single', 11))).toBe(false)
    expect(needsSelection('telegram', motion('multiple', 2))).toBe(true)
    expect(needsSelection('webchat', motion('multiple', 2))).toBe(true)
  })
})
