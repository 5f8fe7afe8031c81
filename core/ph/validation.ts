import { invalidField } from './errors.ts'

/** Longest free text accepted in short fields (names, numbers, addresses). */
export const MAX_SHORT_TEXT = 200

/** Trims and requires a non-empty value of at most `max` characters; throws 422 naming the field. */
export function requireText(field: string, value: unknown, max = MAX_SHORT_TEXT): string {
  if (typeof value !== 'string') throw invalidField(field, 'is required')
  const trimmed = value.trim()
  if (trimmed === '') throw invalidField(field, 'must not be empty')
  if (trimmed.length > max) throw invalidField(field, `must be at most ${max} characters`)
  return trimmed
}

/** Trims an optional value; empty text becomes null, undefined stays undefined (meaning "unchanged"). */
export function optionalText(field: string, value: unknown, max = MAX_SHORT_TEXT): string | null | undefined {
  if (value === undefined) return undefined
  if (value === null) return null
  if (typeof value !== 'string') throw invalidField(field, 'must be text')
  const trimmed = value.trim()
  if (trimmed.length > max) throw invalidField(field, `must be at most ${max} characters`)
  return trimmed === '' ? null : trimmed
}

const EMAIL = /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>".]{2,}$/

/** Lower-cased, trimmed email, or null when it does not look like an address. */
export function normalizeEmail(text: string): string | null {
  const trimmed = text.trim().toLowerCase()
  if (trimmed.length > 254 || !EMAIL.test(trimmed)) return null
  return trimmed
}

/**
 * A phone number in E.164 form ('+50761234567'), or null when implausible. Spaces, dashes, dots and
 * parentheses are ignored. Without a country code only Panamanian numbers are accepted (7 digits for a
 * landline, 8 for a mobile), because any other length could belong to any country.
 */
export function normalizePhone(text: string): string | null {
  const compact = text.trim().replace(/[\s\-.()/]/g, '')
  const international = compact.startsWith('+')
    ? compact.slice(1)
    : compact.startsWith('00')
      ? compact.slice(2)
      : null
  if (international !== null) return /^[1-9]\d{6,14}$/.test(international) ? `+${international}` : null
  if (/^[2-9]\d{6,7}$/.test(compact)) return `+507${compact}`
  // Panama's country code typed without the plus sign.
  if (/^507[2-9]\d{6,7}$/.test(compact)) return `+${compact}`
  return null
}

/** Whether the runtime knows this IANA time zone (e.g. 'America/Panama'). */
export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone.trim() === '') return false
  try {
    new Intl.DateTimeFormat('en', { timeZone })
    return true
  } catch {
    return false
  }
}

/** The canonical BCP 47 form of a locale ('es-pa' → 'es-PA'), or null when it is not one. */
export function canonicalLocale(locale: string): string | null {
  try {
    return Intl.getCanonicalLocales(locale.trim())[0] ?? null
  } catch {
    return null
  }
}

/**
 * Text folded for loose comparison: lower case, accents removed, runs of spaces, underscores, dashes
 * and dots collapsed to one space. 'Al_Día' and 'al dia' fold to the same text.
 */
export function foldText(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/[\s_\-.]+/g, ' ')
    .trim()
}

/** Text for a SQL `like` pattern, its wildcards (`%`, `_`) and backslashes taken literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`)
}

const unitCollator = new Intl.Collator('es', { numeric: true, sensitivity: 'base' })

/**
 * Unit numbers in the order people expect on paper: 1A, 2A, 10A (not 10A, 1A, 2A). A total order
 * (numbers equal to the collator fall back to their code points), so every list sorts the same way.
 */
export function compareUnitNumbers(a: string, b: string): number {
  return unitCollator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0)
}

/** Key under which two unit numbers are the same door: '1a' and ' 1A ' match. */
export function unitNumberKey(number: string): string {
  return number.trim().toUpperCase()
}

/** Key under which two names are the same person when no email tells them apart. */
export function personNameKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase()
}

/** Throws 422 unless the value is a Date with a real time. */
export function requireDate(field: string, value: unknown): Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw invalidField(field, 'must be a valid date')
  return value
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Whether the text is a UUID; ids from outside are checked before they reach a uuid column. */
export function isUuid(text: string): boolean {
  return UUID.test(text)
}
