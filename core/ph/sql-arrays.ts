/**
 * A PostgreSQL array literal of text values ('{"a","b",NULL}') to send a whole column as one
 * parameter and expand it with `unnest(${literal}::uuid[], …)`. Every element is quoted, so commas,
 * braces, quotes and backslashes inside values survive; null becomes SQL NULL.
 */
export function textArray(values: ReadonlyArray<string | null>): string {
  const items = values.map((value) =>
    value === null ? 'NULL' : `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`,
  )
  return `{${items.join(',')}}`
}
