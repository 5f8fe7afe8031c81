import { describe, expect, it } from 'bun:test'
import { parseCoefficient } from '../decimal.ts'
import { detectDelimiter, type ImportField, matchHeader, parseRosterCsv, parseYesNo } from './csv-parse.ts'

const HEADER = 'unidad,finca,coeficiente,propietario,email,telefono,al_dia'

function codes(csv: string): Array<[number | null, string | null, string]> {
  return parseRosterCsv(csv).errors.map((error) => [error.line, error.column, error.code])
}

describe('matchHeader', () => {
  it.each<[string, ImportField | null]>([
    ['Unidad', 'number'],
    ['UNIT', 'number'],
    ['Número', 'number'],
    ['finca', 'finca'],
    ['Coeficiente', 'coefficient'],
    ['coefficient', 'coefficient'],
    ['Propietario', 'ownerName'],
    ['Owner', 'ownerName'],
    ['nombre', 'ownerName'],
    ['Correo', 'email'],
    ['E-mail', 'email'],
    ['Teléfono', 'phone'],
    ['telefono', 'phone'],
    ['phone', 'phone'],
    ['al_dia', 'upToDate'],
    ['Al día', 'upToDate'],
    ['up_to_date', 'upToDate'],
    ['Paz y Salvo', 'upToDate'],
    ['notes', null],
  ])('%p → %p', (header, field) => {
    expect(matchHeader(header)).toBe(field)
  })
})

describe('detectDelimiter', () => {
  it.each([
    ['unidad,coeficiente,propietario', ','],
    ['unidad;coeficiente;propietario', ';'],
    ['unidad\tcoeficiente\tpropietario', '\t'],
    ['"unidad, número";coeficiente;propietario', ';'],
    ['unidad', ','],
  ])('%p → %p', (line, delimiter) => {
    expect(detectDelimiter(line)).toBe(delimiter)
  })
})

describe('parseYesNo', () => {
  it.each([
    ['sí', true],
    ['Si', true],
    ['YES', true],
    ['true', true],
    ['1', true],
    ['x', true],
    ['X', true],
    ['no', false],
    ['0', false],
    ['', false],
    ['false', false],
    ['maybe', undefined],
  ])('%p → %p', (text, expected) => {
    expect(parseYesNo(text)).toBe(expected)
  })
})

describe('parseRosterCsv: file quirks', () => {
  it('reads a comma-separated file with the English headers', () => {
    const csv =
      'unit,finca,coefficient,owner,email,phone,up_to_date\n101,F-1,60,Ana Pérez,ana@example.com,6123-4567,yes\n102,F-2,40,Luis Mora,,,no\n'
    const result = parseRosterCsv(csv)
    expect(result.errors).toEqual([])
    expect(result.rows).toEqual([
      {
        line: 2,
        number: '101',
        finca: 'F-1',
        coefficient: parseCoefficient('60'),
        ownerName: 'Ana Pérez',
        email: 'ana@example.com',
        phone: '+50761234567',
        upToDate: true,
        documentId: undefined,
        coOwners: undefined,
      },
      {
        line: 3,
        number: '102',
        finca: 'F-2',
        coefficient: parseCoefficient('40'),
        ownerName: 'Luis Mora',
        email: null,
        phone: null,
        upToDate: false,
        documentId: undefined,
        coOwners: undefined,
      },
    ])
  })

  it('ignores a UTF-8 byte order mark before the header', () => {
    const result = parseRosterCsv(`\uFEFF${HEADER}\n101,,100,Ana,,,x\n`)
    expect([result.errors, result.columns.number]).toEqual([[], 'unidad'])
  })

  it('detects the semicolon separator and reads decimal commas', () => {
    const csv =
      'Unidad;Coeficiente;Propietario\r\n1A;33,333333333;Ana\r\n1B;33,333333333;Luis\r\n1C;33,333333334;Eva\r\n'
    const result = parseRosterCsv(csv)
    expect([result.delimiter, result.errors, result.rows.map((row) => row.coefficient)]).toEqual([
      ';',
      [],
      [33_333_333_333n, 33_333_333_333n, 33_333_333_334n],
    ])
  })

  it('keeps separators and quotes inside quoted fields', () => {
    const csv = `${HEADER}\n101,"F-1, tomo 2","50,5","Pérez, Ana ""la jefa""",,,\n102,F-2,"49,5",Luis,,,\n`
    const result = parseRosterCsv(csv)
    expect(result.errors).toEqual([])
    expect(result.rows[0]).toMatchObject({
      finca: 'F-1, tomo 2',
      ownerName: 'Pérez, Ana "la jefa"',
      coefficient: parseCoefficient('50.5'),
    })
  })

  it('counts the lines of a quoted field that spans lines', () => {
    const csv = `${HEADER}\n101,"F-1\nanexo",50,Ana,,,\n102,F-2,50,,,,\n`
    expect(codes(csv)).toEqual([[4, 'propietario', 'missing_value']])
  })

  it('skips blank lines but keeps counting them', () => {
    const csv = `${HEADER}\n\n101,,50,Ana,,,\n\n102,,50,Luis,bad-email,,\n`
    expect(codes(csv)).toEqual([[5, 'email', 'invalid_email']])
  })

  it('leaves optional columns the file lacks as undefined', () => {
    const result = parseRosterCsv('unidad,coeficiente,propietario\n101,100,Ana\n')
    expect(result.rows[0]).toMatchObject({ finca: undefined, upToDate: undefined, email: null, phone: null })
  })

  it('treats a blank finca cell as no finca', () => {
    const result = parseRosterCsv('unidad,finca,coeficiente,propietario\n101,,100,Ana\n')
    expect(result.rows[0]?.finca).toBeNull()
  })
})

describe('parseRosterCsv: errors carry line and column', () => {
  it.each<[string, string, Array<[number | null, string | null, string]>]>([
    ['an invalid email', '101,,100,Ana,ana@,,', [[2, 'email', 'invalid_email']]],
    ['an implausible phone', '101,,100,Ana,,12,', [[2, 'telefono', 'invalid_phone']]],
    ['an unreadable coefficient', '101,,abc,Ana,,,', [[2, 'coeficiente', 'invalid_coefficient']]],
    ['a zero coefficient', '101,,0,Ana,,,', [[2, 'coeficiente', 'zero_coefficient']]],
    ['a missing coefficient', '101,,,Ana,,,', [[2, 'coeficiente', 'missing_value']]],
    ['a missing unit number', ',,100,Ana,,,', [[2, 'unidad', 'missing_value']]],
    ['a yes/no value that is neither', '101,,100,Ana,,,quizás', [[2, 'al_dia', 'invalid_boolean']]],
    ['too many fields (an unquoted decimal comma)', '101,,99,1,Ana,,,', [[2, null, 'too_many_fields']]],
  ])('%s', (_name, row, expected) => {
    expect(codes(`${HEADER}\n${row}\n`)).toEqual(expected)
  })

  it('reports a duplicate unit number on the second line, naming the first', () => {
    const result = parseRosterCsv(`${HEADER}\n1a,,50,Ana,,,\n1A,,50,Luis,,,\n`)
    expect(result.errors).toEqual([
      {
        line: 3,
        column: 'unidad',
        code: 'duplicate_number',
        value: '1A',
        message: 'Unit 1A already appears on line 2',
      },
    ])
  })

  it('reports coefficients that do not add up to 100 for the whole file', () => {
    const result = parseRosterCsv(`${HEADER}\n101,,50,Ana,,,\n102,,49.999998,Luis,,,\n`)
    expect(result.errors.map((error) => [error.line, error.column, error.code])).toEqual([
      [null, 'coeficiente', 'sum_mismatch'],
    ])
  })

  it('leaves the sum of a partial file to the importer in update mode', () => {
    const result = parseRosterCsv(`${HEADER}\n101,,50,Ana,,,\n`, 'update')
    expect(result.errors).toEqual([])
  })

  it('reads cédula and co-owners, with optional emails in angle brackets', () => {
    const csv =
      'Unidad;Coeficiente;Propietario;Cédula;Copropietarios\n1A;100;Ana Pérez;8-123-456;Eva Castillo <EVA@example.com> | Juan Ríos\n'
    const result = parseRosterCsv(csv)
    expect(result.errors).toEqual([])
    expect(result.rows[0]).toMatchObject({
      documentId: '8-123-456',
      coOwners: [
        { fullName: 'Eva Castillo', email: 'eva@example.com' },
        { fullName: 'Juan Ríos', email: null },
      ],
    })
  })

  it('refuses a co-owner with a bad email, naming line, column and value', () => {
    const csv = 'Unidad;Coeficiente;Propietario;Copropietarios\n1A;100;Ana;Eva <eva@>\n'
    expect(parseRosterCsv(csv).errors).toEqual([
      expect.objectContaining({
        line: 2,
        column: 'Copropietarios',
        code: 'invalid_co_owner',
        value: 'Eva <eva@>',
      }),
    ])
  })

  it('accepts a sum within 0.000001 of 100', () => {
    expect(codes(`${HEADER}\n101,,50,Ana,,,\n102,,49.999999,Luis,,,\n`)).toEqual([])
  })

  it('does not add a sum error when a coefficient is unreadable', () => {
    expect(codes(`${HEADER}\n101,,50,Ana,,,\n102,,x,Luis,,,\n`)).toEqual([
      [3, 'coeficiente', 'invalid_coefficient'],
    ])
  })

  it('lists every error of the file in line order', () => {
    const csv = `${HEADER}\n101,,50,,,,\n102,,50,Luis,nope,,\n103,,abc,Eva,,1,\n`
    expect(codes(csv)).toEqual([
      [2, 'propietario', 'missing_value'],
      [3, 'email', 'invalid_email'],
      [4, 'coeficiente', 'invalid_coefficient'],
      [4, 'telefono', 'invalid_phone'],
    ])
  })

  it('reports missing required columns on line 1', () => {
    expect(codes('unidad,email\n101,ana@example.com\n')).toEqual([
      [1, null, 'missing_column'],
      [1, null, 'missing_column'],
    ])
  })

  it('reports two columns giving the same field', () => {
    expect(codes('unidad,coeficiente,propietario,nombre\n101,100,Ana,Ana\n')).toEqual([
      [1, 'nombre', 'duplicate_column'],
    ])
  })

  it.each([
    ['an empty file', ''],
    ['only a BOM', '\uFEFF'],
    ['a header without rows', `${HEADER}\n`],
  ])('reports %s', (_name, csv) => {
    expect(codes(csv)).toEqual([[null, null, 'empty_file']])
  })

  it('reports an unterminated quote as a syntax error on its line', () => {
    const result = parseRosterCsv(`${HEADER}\n101,,100,"Ana,,,\n`)
    expect(result.errors.some((error) => error.code === 'csv_syntax' && error.line === 2)).toBe(true)
  })
})
