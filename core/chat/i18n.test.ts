import { describe, expect, it } from 'bun:test'
import { listUnits, messageKeys, t, template } from './i18n.ts'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort()

describe('the dictionary', () => {
  it.each(messageKeys())('%s has the same placeholders in Spanish and English', (key) => {
    expect(placeholders(template('en', key))).toEqual(placeholders(template('es', key)))
  })

  it('fills placeholders and expands the help', () => {
    expect(t('es', 'tooMany', { seconds: 30 })).toBe('Demasiados intentos. Espere 30 s e intente de nuevo.')
    expect(t('en', 'unknown')).toStartWith('I did not understand. I can help with')
  })

  it.each([
    ['es', [], ''],
    ['es', ['1A'], '1A'],
    ['es', ['1A', '2B'], '1A y 2B'],
    ['en', ['1A', '2B', '3C'], '1A, 2B and 3C'],
  ] as const)('lists units in %s: %p', (lang, units, expected) => {
    expect(listUnits(lang, units)).toBe(expected)
  })
})
