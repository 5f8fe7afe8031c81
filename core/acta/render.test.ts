import { describe, expect, it } from 'bun:test'
import { getMajorityPreset, getQuorumPreset } from '../rules/presets.ts'
import { describeMajorityRule, describeQuorumRule } from './document.ts'
import { escapeHtml } from './html.ts'
import { actaLanguage, dictionaryFor, formatDateTime, formatPercent, localeFor } from './i18n.ts'
import { toWinAnsi } from './pdf.ts'

const es = dictionaryFor('es')
const en = dictionaryFor('en')

describe('rules in words', () => {
  it.each([
    [
      'simple',
      es,
      'mayoría relativa (más que cualquier otra opción) de los votos emitidos, sin contar abstenciones, por coeficiente',
    ],
    ['absolute', es, 'más de 50 % de las unidades presentes, por coeficiente'],
    ['ley284-art35-first-call', es, 'al menos 51 % de las unidades al día, por número de unidades'],
    ['two-thirds', en, 'at least 2/3 of the units present, by coefficient'],
    ['unanimity', en, 'at least 100 % of all units, by coefficient'],
  ])('%s', (preset, t, expected) => {
    expect(describeMajorityRule(getMajorityPreset(preset)!, t)).toBe(expected)
  })

  it('describes a quorum rule with both calls', () => {
    expect(
      describeQuorumRule({ ...getQuorumPreset('bylaws-units-bylaws-reduced')!, eligibleOnly: true }, es),
    ).toBe(
      'por número de unidades (solo cuentan las unidades al día): más de 50 % en primera convocatoria; ' +
        'al menos 1/3 en segunda convocatoria',
    )
    expect(describeQuorumRule(getQuorumPreset('ley284-owners-new-call')!, en)).toBe(
      "by number of owners (one per owner, a unit's co-owners as one): more than 50 % at first call; no second call",
    )
  })
})

describe('formatting', () => {
  it.each([
    ['45.000000000', '45.00'],
    ['33.333333333', '33.333333333'],
    ['0.500000000', '0.50'],
    ['12.340000000', '12.34'],
  ])('formatPercent(%p) = %p', (value, expected) => {
    expect(formatPercent(value)).toBe(expected)
  })

  it.each([
    ['es', 'es-PA', 'es-PA'],
    ['en', 'es-PA', 'en-US'],
    ['en', 'en-GB', 'en-GB'],
  ] as const)('uses the locale of %s with a PH in %s: %s', (language, phLocale, expected) => {
    expect(localeFor(language, phLocale)).toBe(expected)
  })

  it('falls back to Spanish for unknown languages', () => {
    expect(actaLanguage('fr')).toBe('es')
    expect(actaLanguage('en-US')).toBe('en')
    expect(dictionaryFor('fr')).toBe(es)
  })

  it('shows times in the PH time zone', () => {
    const at = new Date('2026-01-01T03:30:00Z')
    expect(formatDateTime(at, 'es-PA', 'America/Panama')).toContain('31 de diciembre de 2025')
    expect(formatDateTime(at, 'es-PA', 'UTC')).toContain('1 de enero de 2026')
  })
})

describe('escaping', () => {
  it('escapes every character that could open markup or leave an attribute', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;',
    )
  })

  it.each([
    ['Peña Muñoz – “Cía”', 'Peña Muñoz – “Cía”'],
    ['≥ 2/3 → aprobada', '>= 2/3 -> aprobada'],
    ['Dvořák', 'Dvorák'],
    ['陈', '?'],
  ])('keeps PDF text encodable: %p → %p', (input, expected) => {
    expect(toWinAnsi(input)).toBe(expected)
  })
})
