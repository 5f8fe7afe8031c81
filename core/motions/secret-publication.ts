import { formatCoefficient, parseCoefficient } from '../decimal.ts'
import { electionSummary } from '../rules/election.ts'
import type { CountJson, ElectorateEntry, ResultBody, ResultTotals, RowJson } from './result-model.ts'

/*
 * What a secret motion's result may show to anyone but an auditor. The exact figures stay in the sealed
 * snapshot (its hash covers them) and reach auditors only. The rule, measured by brute force over 60
 * rosters of 60 units with 7-decimal coefficients (see secret-publication.test.ts and the README):
 * - per-unit "voted" flags are withheld: with them, the voters of each option were unique in most cases
 *   whatever the rounding, because the search runs over a handful of voters only;
 * - every coefficient figure is rounded to one decimal of a percent (0.1 %); with the attendance list
 *   known, two decimals still singled out a lone voter in 12–34 of 60 rosters, one decimal in 1–5;
 * - when any option (abstention included) was chosen by fewer than three units, no coefficient figure of
 *   the motion is shown at all (units and the outcome only): a lone voter's weight identifies them,
 *   however it is rounded, and the other figures would give it away by subtraction.
 * Unit counts stay exact: they are what the acta must report, and a count alone names nobody.
 */

export const SECRET_COEFFICIENT_DECIMALS = 1
export const SMALLEST_WEIGHED_CELL = 3

/** A published count: the coefficient is null when withheld. */
export interface PublishedCount {
  units: number
  coefficient: string | null
}
export interface PublishedRow extends PublishedCount {
  upToDate: PublishedCount
}

export type PublishedTotals = Omit<ResultTotals, 'tally' | 'majority'> & {
  tally: {
    options: (PublishedRow & { key: string })[]
    cast: PublishedRow
    abstained: PublishedRow
    present: PublishedRow
    eligible: PublishedRow
    notVoted: PublishedRow
  }
  majority: Omit<ResultTotals['majority'], 'numerator' | 'denominator' | 'percent'> & {
    numerator: string | null
    denominator: string | null
    percent: string | null
  }
}

export type PublishedBody<T extends ResultBody> = Omit<T, 'electorate' | 'totals' | 'explanation'> & {
  electorate: (Omit<ElectorateEntry, 'voted'> & { voted: boolean | null })[]
  totals: PublishedTotals
  explanation: string
  /** true when the figures are rounded or withheld to keep a secret ballot secret. */
  protected: boolean
}

/** Whether a secret motion's coefficients must be withheld entirely (an option with 1 or 2 units). */
export function hasSmallCell(totals: ResultTotals): boolean {
  const rows = [...totals.tally.options, totals.tally.abstained]
  return rows.some((row) => row.units > 0 && row.units < SMALLEST_WEIGHED_CELL)
}

/** A coefficient text rounded for a secret motion, or null when withheld. */
export function protectCoefficient(text: string, withhold: boolean): string | null {
  if (withhold) return null
  return formatCoefficient(parseCoefficient(text), SECRET_COEFFICIENT_DECIMALS)
}

/**
 * The result as a reader may see it: exact for a named motion or an auditor; for a secret motion,
 * voted flags withheld and coefficients rounded or withheld as described above.
 */
export function publishResult<T extends ResultBody>(body: T, reader: { exact: boolean }): PublishedBody<T> {
  if (!body.totals.motion.secret || reader.exact) return { ...body, protected: false }
  const withhold = hasSmallCell(body.totals)
  const count = (value: CountJson): PublishedCount => ({
    units: value.units,
    coefficient: protectCoefficient(value.coefficient, withhold),
  })
  const row = (value: RowJson): PublishedRow => ({ ...count(value), upToDate: count(value.upToDate) })
  const { tally, majority } = body.totals
  const byCoefficient = majority.base === 'coefficient'
  const percent = (text: string) => (byCoefficient && withhold ? null : roundPercent(text))
  return {
    ...body,
    electorate: body.electorate.map((unit) => ({ ...unit, voted: null })),
    totals: {
      ...body.totals,
      tally: {
        options: tally.options.map((option) => ({ key: option.key, ...row(option) })),
        cast: row(tally.cast),
        abstained: row(tally.abstained),
        present: row(tally.present),
        eligible: row(tally.eligible),
        notVoted: row(tally.notVoted),
      },
      majority: {
        ...majority,
        numerator: byCoefficient ? protectCoefficient(majority.numerator, withhold) : majority.numerator,
        denominator: byCoefficient
          ? protectCoefficient(majority.denominator, withhold)
          : majority.denominator,
        percent: percent(majority.percent),
      },
    },
    explanation: protectedExplanation(body, withhold),
    protected: true,
  }
}

function roundPercent(text: string): string {
  const [whole = '0', fraction = ''] = text.split('.')
  return formatCoefficient(parseCoefficient(`${whole}.${fraction.slice(0, 9)}`), SECRET_COEFFICIENT_DECIMALS)
}

const OUTCOME = {
  es: { approved: 'aprobada', rejected: 'rechazada', tie: 'empate, no aprobada', no_votes: 'sin votos' },
  en: { approved: 'approved', rejected: 'rejected', tie: 'tie, not approved', no_votes: 'no votes' },
} as const

// The product's explanation quotes exact figures; a secret motion's public one gives units and rounded shares.
function protectedExplanation(body: ResultBody, withhold: boolean): string {
  const language = body.totals.language ?? 'en'
  const { tally, motion, majority } = body.totals
  const parts = tally.options.map((option) => {
    const label = motion.options.find((o) => o.key === option.key)?.label ?? option.key
    const unitsWord =
      language === 'es' ? (option.units === 1 ? 'unidad' : 'unidades') : option.units === 1 ? 'unit' : 'units'
    const share = withhold ? '' : `, ${protectCoefficient(option.coefficient, false)} %`
    return `${label}: ${option.units} ${unitsWord}${share}`
  })
  const note =
    language === 'es'
      ? 'Votación secreta: cifras redondeadas para no revelar votantes.'
      : 'Secret ballot: figures rounded so as not to reveal voters.'
  // An election names who is elected and who ties; no figure beyond the unit counts above.
  const verdict = body.totals.election
    ? electionSummary({ ...body.totals.election, outcome: majority.outcome }, motion.options, language)
    : `${OUTCOME[language][majority.outcome]}.`
  return `${parts.join('; ')}: ${verdict} ${note}`
}
