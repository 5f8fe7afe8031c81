import { describe, expect, it } from 'bun:test'
import { sql } from 'drizzle-orm'
import { rowsOf } from '../../db/client.ts'
import { textArray } from './sql-arrays.ts'
import { appDatabaseForTests } from './testing.ts'

const handle = appDatabaseForTests()

describe('textArray', () => {
  it('quotes every element and writes null as NULL', () => {
    expect(textArray(['a', null, ''])).toBe('{"a",NULL,""}')
  })

  it.each([
    ['commas and braces', 'Castillo, Eva {hija}'],
    ['quotes and backslashes', 'O\'Brien "Tito" \\ Jr'],
    ['the word NULL', 'NULL'],
    ['accents and spaces', '  María José  '],
  ])('round-trips %s through PostgreSQL', async (_name, value) => {
    const result = await handle.db.execute(sql`select unnest(${textArray([value, null])}::text[]) as v`)
    expect(rowsOf<{ v: string | null }>(result).map((row) => row.v)).toEqual([value, null])
  })
})
