import { describe, expect, it } from 'bun:test'
import { unitLocation } from './board.ts'

describe('unitLocation', () => {
  it.each([
    ['1A', null, '1'],
    ['2B', null, '2'],
    ['1203', null, '12'],
    ['402', null, '4'],
    ['T1-1203', 'T1', '12'],
    ['b 402', 'B', '4'],
    ['Torre A/05', 'TORRE A', '5'],
    ['PH', null, null],
    ['Local-C', 'LOCAL', null],
  ])('%p → tower %p, floor %p', (number, tower, floor) => {
    expect(unitLocation(number)).toEqual({ tower, floor })
  })
})
