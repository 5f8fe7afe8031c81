import { describe, expect, it } from 'bun:test'
import {
  canonicalLocale,
  compareUnitNumbers,
  escapeLike,
  foldText,
  isValidTimeZone,
  normalizeEmail,
  normalizePhone,
  requireText,
  unitNumberKey,
} from './validation.ts'

describe('normalizePhone', () => {
  it.each([
    ['Panama mobile without country code', '6123-4567', '+50761234567'],
    ['Panama landline without country code', '223 4567', '+5072234567'],
    ['Panama with plus and spaces', '+507 6123 4567', '+50761234567'],
    ['Panama country code without plus', '507 6123-4567', '+50761234567'],
    ['international with 00', '0034 612 345 678', '+34612345678'],
    ['international with parentheses', '+1 (305) 555-1234', '+13055551234'],
    ['too short', '1234', null],
    ['foreign number without country code', '3055551234', null],
    ['letters', '6123-ABCD', null],
    ['too long', '+1234567890123456', null],
    ['country code starting with zero', '+0761234567', null],
  ])('%s: %p → %p', (_name, text, expected) => {
    expect(normalizePhone(text)).toBe(expected)
  })
})

describe('normalizeEmail', () => {
  it.each([
    ['plain', 'ana@example.com', 'ana@example.com'],
    ['upper case and spaces', '  Ana.Perez@Example.COM ', 'ana.perez@example.com'],
    ['plus address', 'ana+ph@example.com.pa', 'ana+ph@example.com.pa'],
    ['no at sign', 'ana.example.com', null],
    ['no domain dot', 'ana@example', null],
    ['two addresses', 'a@x.com, b@y.com', null],
    ['space inside', 'ana perez@example.com', null],
  ])('%s: %p → %p', (_name, text, expected) => {
    expect(normalizeEmail(text)).toBe(expected)
  })
})

describe('isValidTimeZone', () => {
  it.each([
    ['America/Panama', true],
    ['Europe/Madrid', true],
    ['UTC', true],
    ['America/Ciudad_de_Panama', false],
    ['', false],
    ['GMT+25', false],
  ])('%p → %p', (timeZone, expected) => {
    expect(isValidTimeZone(timeZone)).toBe(expected)
  })
})

describe('canonicalLocale', () => {
  it.each([
    ['es-pa', 'es-PA'],
    ['en', 'en'],
    ['not a locale!', null],
  ])('%p → %p', (locale, expected) => {
    expect(canonicalLocale(locale)).toBe(expected)
  })
})

describe('foldText', () => {
  it.each([
    ['Al_Día', 'al dia'],
    ['  Teléfono ', 'telefono'],
    ['PAZ-Y-SALVO', 'paz y salvo'],
    ['up_to_date', 'up to date'],
  ])('%p → %p', (text, expected) => {
    expect(foldText(text)).toBe(expected)
  })
})

describe('unitNumberKey', () => {
  it('treats case and surrounding spaces as the same door', () => {
    expect(unitNumberKey(' 1a ')).toBe(unitNumberKey('1A'))
  })
})

describe('requireText', () => {
  it.each([
    ['missing', undefined],
    ['blank', '   '],
    ['too long', 'x'.repeat(201)],
  ])('rejects a %s value with 422 naming the field', (_name, value) => {
    expect(() => requireText('name', value)).toThrow(
      expect.objectContaining({ status: 422, details: [expect.objectContaining({ field: 'name' })] }),
    )
  })

  it('trims the value it accepts', () => {
    expect(requireText('name', '  PH Sol  ')).toBe('PH Sol')
  })
})

describe('like patterns', () => {
  it('takes %, _ and backslashes literally', () => {
    expect(['50%', 'a_b', 'c:\\d', 'Ana'].map(escapeLike)).toEqual(['50\\%', 'a\\_b', 'c:\\\\d', 'Ana'])
  })
})

describe('compareUnitNumbers', () => {
  it('sorts unit numbers as on paper, the same way in every list', () => {
    const numbers = ['10A', 'PH-2', '2A', '1a', 'B-1', '1B', 'PH-10', '100']
    expect([...numbers].sort(compareUnitNumbers)).toEqual([
      '1a',
      '1B',
      '2A',
      '10A',
      '100',
      'B-1',
      'PH-2',
      'PH-10',
    ])
  })

  it('is a total order: numbers the collator finds equal still have one place', () => {
    expect(compareUnitNumbers('1A', '1a')).not.toBe(0)
    expect(Math.sign(compareUnitNumbers('1A', '1a'))).toBe(-Math.sign(compareUnitNumbers('1a', '1A')))
    expect(compareUnitNumbers('3C', '3C')).toBe(0)
  })
})
