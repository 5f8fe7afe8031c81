import type { Reply } from '../organizations/[organizationId]/_testing.ts'
import { type ExpectedResult, nine, type Row } from './model.ts'

/*
 * Figure tables: each figure the API reports beside the one the model expects. A mismatch fails with
 * the whole table, so a reader sees every figure of the step, not only the first wrong one.
 */

export type Figure = [label: string, expected: unknown, actual: unknown]

export function expectFigures(title: string, figures: readonly Figure[]): void {
  const wrong = figures.filter(([, expected, actual]) => !Bun.deepEquals(expected, actual))
  if (wrong.length === 0) return
  const width = Math.max(...figures.map(([label]) => label.length))
  const lines = figures.map(([label, expected, actual]) => {
    const mark = Bun.deepEquals(expected, actual) ? '  ' : '✗ '
    return `${mark}${label.padEnd(width)}  expected ${JSON.stringify(expected)}  got ${JSON.stringify(actual)}`
  })
  throw new Error(`${title}: ${wrong.length} of ${figures.length} figures differ\n${lines.join('\n')}`)
}

interface ApiCount {
  units: number
  coefficient: string | null
}
interface ApiRow extends ApiCount {
  upToDate: ApiCount
}

/** The exact rows of a result (named motions, or an auditor's view). */
export function rowFigures(name: string, expected: Row, actual: ApiRow | undefined): Figure[] {
  return [
    [`${name}.units`, expected.all.units, actual?.units],
    [`${name}.coefficient`, nine(expected.all.coefficient), actual?.coefficient],
    [`${name}.upToDate.units`, expected.upToDate.units, actual?.upToDate.units],
    [`${name}.upToDate.coefficient`, nine(expected.upToDate.coefficient), actual?.upToDate.coefficient],
  ]
}

export function resultFigures(
  expected: ExpectedResult,
  totals: Reply['body'],
  base: 'coefficient' | 'units',
): Figure[] {
  const tally = totals.tally
  const option = (key: string) => tally.options.find((row: { key: string }) => row.key === key)
  const byBase = (value: bigint) => (base === 'units' ? value.toString() : nine(value))
  return [
    ...['yes', 'no', 'abstain'].flatMap((key) => rowFigures(key, expected.options[key]!, option(key))),
    ...rowFigures('cast', expected.cast, tally.cast),
    ...rowFigures('abstained', expected.abstained, tally.abstained),
    ...rowFigures('present', expected.present, tally.present),
    ...rowFigures('eligible', expected.eligible, tally.eligible),
    ...rowFigures('notVoted', expected.notVoted, tally.notVoted),
    ['majority.numerator', byBase(expected.numerator), totals.majority.numerator],
    ['majority.denominator', byBase(expected.denominator), totals.majority.denominator],
    ['majority.percent', expected.percent, totals.majority.percent],
    ['majority.outcome', expected.outcome, totals.majority.outcome],
  ]
}

/** Simple CSV reading for the exports (no quoted separators in these files). */
/**
 * The rows of a CSV export read in English (`?lang=en`), keyed by this test's own names for the columns
 * (`columns`: header label or label prefix → name) and with the labelled values it compares turned back
 * into codes (Owner → owner, Proxy holder → proxy).
 */
export function readCsv(text: string, columns: Record<string, string>): Record<string, string>[] {
  const [header, ...lines] = text
    .replace(/^\uFEFF/, '')
    .trimEnd()
    .split('\r\n')
  const names = header!.split(',').map((label) => {
    const found = Object.entries(columns).find(
      ([prefix]) => label === prefix || label.startsWith(`${prefix} (`),
    )
    return found ? found[1] : label
  })
  const codes: Record<string, string> = { Owner: 'owner', 'Proxy holder': 'proxy' }
  return lines.map((line) =>
    Object.fromEntries(line.split(',').map((cell, i) => [names[i]!, codes[cell] ?? cell])),
  )
}
