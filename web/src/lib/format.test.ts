import { describe, expect, it } from 'bun:test'
import {
  electionNames,
  formatPercent,
  joinNames,
  localInputToIso,
  setPlace,
  thresholdPercent,
} from './format.ts'

describe('dates in the PH time zone', () => {
  it.each([
    ['America/Panama', '2026-03-10T19:00', '2026-03-11T00:00:00.000Z'],
    ['America/Bogota', '2026-01-01T00:30', '2026-01-01T05:30:00.000Z'],
    ['Europe/Madrid', '2026-07-01T12:00', '2026-07-01T10:00:00.000Z'],
    ['Europe/Madrid', '2026-01-15T12:00', '2026-01-15T11:00:00.000Z'],
  ])('reads %s wall time %s as %s', (timeZone, local, iso) => {
    setPlace({ timeZone })
    expect(localInputToIso(local)).toBe(iso)
  })

  it('reads an empty input as no date', () => {
    expect(localInputToIso('')).toBeNull()
  })
})

describe('numbers', () => {
  it('prints exact decimal text as a percentage in the PH locale', () => {
    setPlace({ locale: 'es-PA' })
    expect(formatPercent('33.333333333', 3)).toBe('33.333 %')
    setPlace({ locale: 'es-CO' })
    expect(formatPercent('33.333333333', 3)).toBe('33,333 %')
  })

  it.each([
    [{ numerator: 1, denominator: 2 }, 50],
    [{ numerator: 2, denominator: 3 }, (2 / 3) * 100],
    [null, null],
  ])('turns the threshold %o into %p percent', (threshold, expected) => {
    expect(thresholdPercent(threshold)).toBe(expected)
  })
})

describe('election names', () => {
  it('lists the elected and the tied candidates by label, in the result order', () => {
    const candidates = [
      { key: 'b', elected: true },
      { key: 'a', elected: true },
      { key: 'c', elected: 'tie' as const },
      { key: 'd', elected: false },
    ]
    expect(electionNames(candidates, (key) => key.toUpperCase())).toEqual({
      elected: ['B', 'A'],
      tied: ['C'],
    })
  })

  it.each([
    [[], ''],
    [['Ana'], 'Ana'],
    [['Ana', 'Beto'], 'Ana y Beto'],
    [['Ana', 'Beto', 'Carla'], 'Ana, Beto y Carla'],
  ])('joins %p as %p', (list, joined) => {
    expect(joinNames(list, 'y')).toBe(joined)
  })
})
