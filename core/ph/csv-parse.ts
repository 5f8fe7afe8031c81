import Papa from 'papaparse'
import { DecimalError, formatCoefficient, parseCoefficient } from '../decimal.ts'
import { validateCoefficients } from '../rules/coefficients.ts'
import { foldText, normalizeEmail, normalizePhone, personNameKey, unitNumberKey } from './validation.ts'

/** The columns the roster import understands. */
export type ImportField =
  | 'number'
  | 'finca'
  | 'coefficient'
  | 'ownerName'
  | 'documentId'
  | 'email'
  | 'phone'
  | 'upToDate'
  | 'coOwners'

/**
 * How a file meets the roster: `replace` = the file is the whole roster (it must sum to 100 %; units
 * it leaves out are deleted), `update` = the file changes or adds some units (the PH must still sum to
 * 100 % afterwards; units it leaves out are kept).
 */
export type ImportMode = 'replace' | 'update'

/** A co-owner named in the co-owners cell: 'Name' or 'Name <email>'. */
export interface CoOwner {
  fullName: string
  email: string | null
}

export type ImportErrorCode =
  | 'empty_file'
  | 'too_many_rows'
  | 'csv_syntax'
  | 'missing_column'
  | 'duplicate_column'
  | 'too_many_fields'
  | 'missing_value'
  | 'value_too_long'
  | 'invalid_coefficient'
  | 'zero_coefficient'
  | 'duplicate_number'
  | 'invalid_email'
  | 'invalid_phone'
  | 'invalid_boolean'
  | 'invalid_co_owner'
  | 'sum_mismatch'
  | 'sum_after_mismatch'
  | 'unit_in_use'

/**
 * A problem in the file. `line` is the 1-based line in the file (the header is line 1), null for
 * problems with the file as a whole; `column` is the header as written in the file, or null.
 */
export interface ImportError {
  line: number | null
  column: string | null
  code: ImportErrorCode
  /** The offending cell (or unit number, or sum) as written, when there is one. */
  value?: string
  message: string
}

/** One data row, validated. Optional columns absent from the file are `undefined` (keep what is stored). */
export interface RosterRow {
  line: number
  number: string
  finca: string | null | undefined
  /** Nano-percent. */
  coefficient: bigint
  ownerName: string
  /** Cédula or passport of the owner; undefined when the file has no such column. */
  documentId: string | null | undefined
  email: string | null
  phone: string | null
  upToDate: boolean | undefined
  /** Other owners besides the representative; undefined when the file has no such column. */
  coOwners: CoOwner[] | undefined
}

export interface ParsedRoster {
  rows: RosterRow[]
  errors: ImportError[]
  /** Header text in the file for each recognised column. */
  columns: Partial<Record<ImportField, string>>
  delimiter: string
  /** Sum of the coefficients that could be read, nano-percent. */
  total: bigint
  /** Data rows in the file (blank lines excluded), valid or not. */
  rowCount: number
  /** Every unit number the file mentions, in rows with errors too. */
  numbers: string[]
}

/** Largest number of data rows accepted in one file. */
export const MAX_IMPORT_ROWS = 50_000

// Header names after foldText (lower case, no accents, separators as single spaces).
const HEADER_ALIASES: Record<ImportField, readonly string[]> = {
  number: [
    'unidad',
    'unit',
    'number',
    'numero',
    'no',
    'n',
    'unit number',
    'numero de unidad',
    'apartamento',
    'apto',
  ],
  finca: ['finca', 'numero de finca', 'finca number', 'folio', 'folio real'],
  coefficient: ['coeficiente', 'coefficient', 'coeficiente de participacion', 'participacion', '%'],
  ownerName: ['propietario', 'owner', 'nombre', 'name', 'owner name', 'nombre del propietario', 'full name'],
  documentId: [
    'cedula',
    'cedula o pasaporte',
    'documento',
    'documento de identidad',
    'pasaporte',
    'id',
    'id number',
    'identificacion',
    'document',
  ],
  email: ['email', 'e mail', 'correo', 'correo electronico', 'mail'],
  phone: ['telefono', 'phone', 'tel', 'celular', 'movil', 'phone number'],
  upToDate: ['al dia', 'up to date', 'uptodate', 'paz y salvo', 'paz salvo', 'al corriente'],
  coOwners: ['copropietarios', 'copropietario', 'co owners', 'coowners', 'co owner', 'otros propietarios'],
}

const REQUIRED: readonly ImportField[] = ['number', 'coefficient', 'ownerName']
const YES = new Set(['si', 'yes', 'true', '1', 'x', 'y', 's'])
// A checkbox-style column ('x' = yes) leaves the cell blank for "no".
const NO = new Set(['', 'no', 'false', '0', 'n', '-'])
const MAX_LENGTH: Record<ImportField, number> = {
  number: 32,
  finca: 60,
  coefficient: 40,
  ownerName: 200,
  email: 254,
  documentId: 40,
  phone: 40,
  upToDate: 20,
  coOwners: 2000,
}

/** The field a header names ('Teléfono' → 'phone', 'al_dia' → 'upToDate'), or null. */
export function matchHeader(header: string): ImportField | null {
  const folded = foldText(header)
  for (const [field, aliases] of Object.entries(HEADER_ALIASES) as Array<[ImportField, readonly string[]]>) {
    if (aliases.includes(folded)) return field
  }
  return null
}

/** The separator of the header line: whichever of ';', ',' or tab occurs most outside quotes; ',' on a tie. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ])
  let quoted = false
  for (const char of headerLine) {
    if (char === '"') quoted = !quoted
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1)
  }
  let best = ','
  for (const [delimiter, n] of counts) if (n > (counts.get(best) ?? 0)) best = delimiter
  return best
}

/** Parses a yes/no cell; undefined when it is neither. */
export function parseYesNo(text: string): boolean | undefined {
  const folded = foldText(text)
  if (YES.has(folded)) return true
  if (NO.has(folded)) return false
  return undefined
}

/**
 * Reads a roster CSV (one row per unit: number, finca, coefficient, owner, email, phone, up to date)
 * and validates it as a whole: every cell, duplicate unit numbers, and coefficients adding up to 100 %.
 * Handles a UTF-8 BOM, CRLF, quoted fields, ';' or ',' separators and decimal commas. Pure: no I/O.
 */
export function parseRosterCsv(csv: string, mode: ImportMode = 'replace'): ParsedRoster {
  // Mixed line endings confuse newline detection; one kind of newline keeps line numbers exact.
  const text = csv.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n')
  const firstLine = text.slice(0, text.indexOf('\n') === -1 ? undefined : text.indexOf('\n'))
  const delimiter = detectDelimiter(firstLine)
  const empty: ParsedRoster = {
    rows: [],
    errors: [],
    columns: {},
    delimiter,
    total: 0n,
    rowCount: 0,
    numbers: [],
  }
  const records = readRecords(text, delimiter)
  const header = records.shift()
  if (!header || header.cells.every((cell) => cell.trim() === '')) {
    return { ...empty, errors: [fileError('empty_file', 'The file is empty')] }
  }
  const { columns, indexes, errors } = mapHeader(header.cells)
  errors.push(...header.errors)
  if (errors.length > 0) return { ...empty, columns, errors }
  const data = records.filter((record) => record.cells.some((cell) => cell.trim() !== ''))
  if (data.length === 0)
    return { ...empty, columns, errors: [fileError('empty_file', 'The file has no units')] }
  if (data.length > MAX_IMPORT_ROWS) {
    const message = `The file has ${data.length} rows; at most ${MAX_IMPORT_ROWS} are accepted`
    return { ...empty, columns, rowCount: data.length, errors: [fileError('too_many_rows', message)] }
  }

  const rows: RosterRow[] = []
  const read: ReadRow[] = []
  for (const record of data) {
    const result = readRow(record, header.cells.length, columns, indexes)
    errors.push(...result.errors)
    read.push(result)
    if (result.row) rows.push(result.row)
  }
  errors.push(...duplicateNumbers(read, columns.number ?? null))
  const weighed = read.flatMap((result) => (result.coefficient === null ? [] : [result]))
  const total = weighed.reduce((sum, result) => sum + (result.coefficient ?? 0n), 0n)
  // A sum over unreadable coefficients would only repeat the cell errors in another form; a file
  // updating some units is checked against the whole PH by the importer instead.
  if (mode === 'replace' && weighed.length === read.length) {
    const validation = validateCoefficients(
      weighed.map((result) => ({
        number: result.number || `line ${result.line}`,
        coefficient: result.coefficient ?? 0n,
      })),
    )
    const mismatch = validation.ok
      ? undefined
      : validation.errors.find((problem) => problem.code === 'sum_mismatch')
    if (mismatch)
      errors.push({
        line: null,
        column: columns.coefficient ?? null,
        code: 'sum_mismatch',
        value: formatCoefficient(total),
        message: mismatch.message,
      })
  }
  errors.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER))
  const numbers = read.flatMap((result) => (result.number === '' ? [] : [result.number]))
  return { rows, errors, columns, delimiter, total, rowCount: data.length, numbers }
}

interface CsvRecord {
  line: number
  cells: string[]
  errors: ImportError[]
}

function readRecords(text: string, delimiter: string): CsvRecord[] {
  const records: CsvRecord[] = []
  let start = 0
  let line = 1
  Papa.parse<string[]>(text, {
    delimiter,
    newline: '\n',
    step: (result) => {
      const cursor = result.meta.cursor
      const errors = result.errors.map((problem) => ({
        line,
        column: null,
        code: 'csv_syntax' as const,
        message: `${problem.message} (${problem.code})`,
      }))
      records.push({ line, cells: result.data, errors })
      // Quoted cells may span lines, so the next record starts after every newline consumed so far.
      for (let i = start; i < cursor; i++) if (text.charCodeAt(i) === 10) line++
      start = cursor
    },
  })
  return records
}

function mapHeader(cells: readonly string[]) {
  const columns: Partial<Record<ImportField, string>> = {}
  const indexes: Partial<Record<ImportField, number>> = {}
  const errors: ImportError[] = []
  cells.forEach((cell, index) => {
    const field = matchHeader(cell)
    if (!field) return
    if (indexes[field] !== undefined) {
      errors.push({
        line: 1,
        column: cell.trim(),
        code: 'duplicate_column',
        message: `Columns '${columns[field]}' and '${cell.trim()}' both give the ${field}`,
      })
      return
    }
    indexes[field] = index
    columns[field] = cell.trim()
  })
  for (const field of REQUIRED) {
    if (indexes[field] !== undefined) continue
    const names = HEADER_ALIASES[field].slice(0, 3).join(', ')
    errors.push({
      line: 1,
      column: null,
      code: 'missing_column',
      message: `Missing the ${field} column (${names})`,
    })
  }
  return { columns, indexes, errors }
}

interface ReadRow {
  line: number
  number: string
  // Null when the cell could not be read.
  coefficient: bigint | null
  // Null when any cell of the row is wrong.
  row: RosterRow | null
  errors: ImportError[]
}

function readRow(
  record: CsvRecord,
  headerWidth: number,
  columns: Partial<Record<ImportField, string>>,
  indexes: Partial<Record<ImportField, number>>,
): ReadRow {
  const { line, cells } = record
  const errors: ImportError[] = [...record.errors]
  const fail = (field: ImportField, code: ImportErrorCode, message: string, value?: string) =>
    errors.push({
      line,
      column: columns[field] ?? null,
      code,
      message,
      ...(value === undefined ? {} : { value }),
    })
  if (cells.length > headerWidth) {
    // The cells are shifted, so reading them would only add misleading errors.
    const message = `The row has ${cells.length} fields but the header has ${headerWidth}; quote values that contain the separator (e.g. a decimal comma)`
    errors.push({ line, column: null, code: 'too_many_fields', message })
    return { line, number: (cells[indexes.number ?? -1] ?? '').trim(), coefficient: null, row: null, errors }
  }
  const cell = (field: ImportField): string | undefined => {
    const index = indexes[field]
    if (index === undefined) return undefined
    const value = (cells[index] ?? '').trim()
    if (value.length > MAX_LENGTH[field]) {
      fail(field, 'value_too_long', `At most ${MAX_LENGTH[field]} characters`, value.slice(0, 40))
      return ''
    }
    return value
  }
  const number = cell('number') ?? ''
  if (number === '') fail('number', 'missing_value', 'The unit number is missing')
  const ownerName = (cell('ownerName') ?? '').replace(/\s+/g, ' ')
  if (ownerName === '') fail('ownerName', 'missing_value', 'The owner name is missing')
  const coefficientText = cell('coefficient') ?? ''
  const coefficient = readCoefficient(coefficientText, (code, message) =>
    fail('coefficient', code, message, coefficientText),
  )
  const emailText = cell('email')
  const email = readOptional(emailText, normalizeEmail, () =>
    fail('email', 'invalid_email', `'${emailText}' is not an email address`, emailText),
  )
  const phoneText = cell('phone')
  const phone = readOptional(phoneText, normalizePhone, () =>
    fail(
      'phone',
      'invalid_phone',
      `'${phoneText}' is not a phone number (add the country code, e.g. +507)`,
      phoneText,
    ),
  )
  const upToDateText = cell('upToDate')
  const upToDate = upToDateText === undefined ? undefined : parseYesNo(upToDateText)
  if (upToDateText !== undefined && upToDate === undefined) {
    fail(
      'upToDate',
      'invalid_boolean',
      `'${upToDateText}' is not yes or no (sí, yes, x, 1 / no, 0 or blank)`,
      upToDateText,
    )
  }
  const documentIdText = cell('documentId')
  const coOwnersText = cell('coOwners')
  const coOwners = coOwnersText === undefined ? undefined : readCoOwners(coOwnersText, ownerName)
  if (coOwners instanceof Error) fail('coOwners', 'invalid_co_owner', coOwners.message, coOwnersText)
  const finca = cell('finca')
  const row: RosterRow = {
    line,
    number,
    finca: finca === undefined ? undefined : finca === '' ? null : finca,
    coefficient: coefficient ?? 0n,
    ownerName,
    documentId: documentIdText === undefined ? undefined : documentIdText === '' ? null : documentIdText,
    email,
    phone,
    upToDate,
    coOwners: coOwners instanceof Error ? [] : coOwners,
  }
  return { line, number, coefficient, row: errors.length === 0 ? row : null, errors }
}

/**
 * The co-owners cell: names separated by '|' (or ';' when the file is comma-separated), each
 * optionally followed by an email in angle brackets: 'Eva Castillo <eva@example.com> | Juan Ríos'.
 */
function readCoOwners(text: string, representative: string): CoOwner[] | Error {
  const entries = text
    .split(/[|;]/)
    .map((entry) => entry.trim().replace(/\s+/g, ' '))
    .filter(Boolean)
  const coOwners: CoOwner[] = []
  for (const entry of entries) {
    const match = entry.match(/^(.*?)\s*<([^>]*)>$/)
    const fullName = (match ? match[1]! : entry).trim()
    if (fullName === '') return new Error(`'${entry}' has no name`)
    let email: string | null = null
    if (match) {
      email = normalizeEmail(match[2]!)
      if (email === null) return new Error(`'${match[2]}' is not an email address`)
    }
    if (personNameKey(fullName) === personNameKey(representative))
      return new Error(`${fullName} is already the owner named in the owner column`)
    coOwners.push({ fullName, email })
  }
  return coOwners
}

function readCoefficient(
  text: string,
  fail: (code: ImportErrorCode, message: string) => void,
): bigint | null {
  if (text === '') {
    fail('missing_value', 'The coefficient is missing')
    return null
  }
  try {
    const value = parseCoefficient(text)
    if (value > 0n) return value
    fail('zero_coefficient', 'The coefficient must be greater than zero')
  } catch (error) {
    if (!(error instanceof DecimalError)) throw error
    fail('invalid_coefficient', error.message)
  }
  return null
}

function readOptional(
  text: string | undefined,
  normalize: (text: string) => string | null,
  fail: () => void,
): string | null {
  if (text === undefined || text === '') return null
  const normalized = normalize(text)
  if (normalized === null) fail()
  return normalized
}

function duplicateNumbers(rows: readonly ReadRow[], column: string | null): ImportError[] {
  const firstLine = new Map<string, number>()
  const errors: ImportError[] = []
  for (const row of rows) {
    if (row.number === '') continue
    const key = unitNumberKey(row.number)
    const first = firstLine.get(key)
    if (first === undefined) {
      firstLine.set(key, row.line)
      continue
    }
    errors.push({
      line: row.line,
      column,
      code: 'duplicate_number',
      value: row.number,
      message: `Unit ${row.number} already appears on line ${first}`,
    })
  }
  return errors
}

function fileError(code: ImportErrorCode, message: string): ImportError {
  return { line: null, column: null, code, message }
}

/** Owner identity within one import: by email when given, then by cédula, otherwise by name. */
export function ownerKey(row: {
  email: string | null
  documentId?: string | null
  ownerName: string
}): string {
  if (row.email) return `email:${row.email}`
  if (row.documentId) return `id:${documentKey(row.documentId)}`
  return `name:${personNameKey(row.ownerName)}`
}

/** Key under which two cédulas are the same: '8-123-456' and '8 123 456' match. */
export function documentKey(documentId: string): string {
  return documentId.replace(/[\s-]/g, '').toUpperCase()
}
