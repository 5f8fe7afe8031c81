import { describe, expect, it } from 'bun:test'
import { type Action, compactId, decodeAction, encodeAction, expandId } from './actions.ts'

const id = '0f8b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d'

describe('button data', () => {
  it('packs a uuid into 22 characters and back', () => {
    expect(compactId(id)).toHaveLength(22)
    expect(expandId(compactId(id))).toBe(id)
  })

  it.each<Action>([
    { kind: 'pick', motionId: id },
    { kind: 'choose', motionId: id, option: 2 },
    { kind: 'confirm', token: 'abcdefghij234567' },
    { kind: 'cancel', token: 'abcdefghij234567' },
    { kind: 'toggle', token: 'abcdefghij234567', option: 11 },
    { kind: 'page', token: 'abcdefghij234567', page: 1 },
    { kind: 'submit', token: 'abcdefghij234567' },
    { kind: 'checkin', assemblyId: id },
    { kind: 'menu', intent: 'quorum' },
  ])('round-trips %p within Telegram’s 64 bytes', (action) => {
    const data = encodeAction(action)
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64)
    expect(decodeAction(data)).toEqual(action)
  })

  it.each([
    '',
    'v|short|1',
    `v|${compactId(id)}`,
    `v|${compactId(id)}|x`,
    `m|${compactId(id)}|1`,
    'c|UPPER-CASE',
    'i|drop_tables',
    't|abcdefghij|x',
    't|abcdefghij',
    's|abcdefghij|1',
    'z|anything',
    `k|${compactId(id)}|extra|more`,
  ])('rejects malformed data %p', (data) => {
    expect(decodeAction(data)).toBeNull()
  })
})
