import { formatCoefficient, meetsThreshold, toPercentString } from '../decimal.ts'
import {
  denominatorOf,
  denominatorPhrase,
  type Language,
  type MajorityOutcome,
  majorityWords,
  weightOf,
} from './majority.ts'
import { RuleError, type TallyResult } from './tally.ts'
import type { Base, MajorityRule, MotionOption, Threshold } from './types.ts'

/*
 * Elections (e.g. the Junta Directiva): each voter ticks up to `seats` candidates, each tick adds the
 * unit's full weight to the candidate (core/rules/tally, 'multiple' mode), and the candidates are ranked
 * by that weight on the rule's base. The top `seats` are elected. Decisions:
 * - A tie that straddles the last seat elects none of the tied candidates: the result names them and the
 *   assembly settles it (a run-off, a draw, whatever its by-laws say); nobody is elected by option order.
 * - A candidate with no weight at all is never elected, even when there are fewer candidates than seats.
 * - No threshold unless the rule sets one; with one, a candidate must also reach it over the rule's
 *   denominator (a candidate under it is not elected, tied or not).
 */

/** Whether a candidate won a seat: 'tie' when tied with others for the last seat(s) still open. */
export type Elected = true | false | 'tie'

export interface RankedCandidate {
  key: string
  /** 1 for the most weight; candidates with equal weight share a rank (1, 2, 2, 4). */
  rank: number
  /** Weight on the rule's base: units, or nano-percent of coefficient. */
  value: bigint
  elected: Elected
}

export interface ElectionResult {
  seats: number
  base: Base
  /** Every candidate, most weight first (equal weights in the order of the options). */
  candidates: RankedCandidate[]
  denominator: bigint
  threshold: Threshold | null
  /** 'approved' when someone is elected and no seat is tied, 'tie' when a seat is tied. */
  outcome: MajorityOutcome
  explanation: string
}

export interface ElectionInput {
  seats: number
  rule: MajorityRule
  tally: TallyResult
  options: readonly MotionOption[]
  language?: Language
}

const MAX_SEATS = 50

/** Ranks the candidates of an election and decides who is elected, exactly. Throws RuleError on bad input. */
export function rankElection(input: ElectionInput): ElectionResult {
  const { seats, rule, tally, options } = input
  if (!Number.isInteger(seats) || seats < 1 || seats > MAX_SEATS) {
    throw new RuleError(`An election fills 1 to ${MAX_SEATS} seats, not ${seats}`)
  }
  const rowByKey = new Map(tally.options.map((row) => [row.key, row]))
  const candidates = options
    .filter((option) => option.kind === 'choice')
    .map((option, order) => {
      const row = rowByKey.get(option.key)
      if (!row) throw new RuleError(`Option ${option.key} is missing from the tally`)
      return { key: option.key, order, value: weightOf(row, rule) }
    })
  if (candidates.length === 0) throw new RuleError('An election needs at least one candidate')
  if (options.some((option) => option.kind === 'yes' || option.kind === 'no')) {
    throw new RuleError('An election has candidates, not yes/no options')
  }
  const denominator = denominatorOf(rule, tally)
  const threshold = rule.threshold
  const sorted = [...candidates].sort((a, b) =>
    a.value === b.value ? a.order - b.order : a.value > b.value ? -1 : 1,
  )
  const ranked: RankedCandidate[] = sorted.map((candidate) => {
    const above = sorted.filter((other) => other.value > candidate.value).length
    const atLeast = sorted.filter((other) => other.value >= candidate.value).length
    const qualifies =
      candidate.value > 0n && (threshold === null || meetsThreshold(candidate.value, denominator, threshold))
    const elected: Elected = !qualifies || above >= seats ? false : atLeast <= seats ? true : 'tie'
    return { key: candidate.key, rank: above + 1, value: candidate.value, elected }
  })
  const outcome: MajorityOutcome =
    denominator === 0n || ranked.every((candidate) => candidate.value === 0n)
      ? 'no_votes'
      : ranked.some((candidate) => candidate.elected === 'tie')
        ? 'tie'
        : ranked.some((candidate) => candidate.elected === true)
          ? 'approved'
          : 'rejected'
  // A no-votes election elects nobody, whatever a zero threshold would say.
  const final = outcome === 'no_votes' ? ranked.map((c) => ({ ...c, elected: false as const })) : ranked
  const result = { seats, base: rule.base, candidates: final, denominator, threshold, outcome }
  return { ...result, explanation: explainElection(result, rule, options, input.language ?? 'en') }
}

const electionWords = {
  es: {
    seats: (n: number) => (n === 1 ? '1 puesto' : `${n} puestos`),
    elected: (n: number) => (n === 1 ? 'Electo/a' : 'Electos/as'),
    none: 'nadie electo/a',
    tie: (names: string) => `empate entre ${names}: ese puesto queda sin decidir`,
    noVotes: 'sin votos',
    and: ' y ',
  },
  en: {
    seats: (n: number) => (n === 1 ? '1 seat' : `${n} seats`),
    elected: (_n: number) => 'Elected',
    none: 'nobody elected',
    tie: (names: string) => `tie between ${names}: that seat is undecided`,
    noVotes: 'no votes',
    and: ' and ',
  },
} as const

/** The election's outcome in words, without any figure (secret elections publish this one). */
export function electionSummary(
  result: Pick<ElectionResult, 'seats' | 'outcome'> & {
    candidates: readonly Pick<RankedCandidate, 'key' | 'elected'>[]
  },
  options: readonly MotionOption[],
  language: Language,
): string {
  const w = electionWords[language]
  const label = (key: string) => options.find((option) => option.key === key)?.label ?? key
  if (result.outcome === 'no_votes') return `${w.seats(result.seats)}: ${w.noVotes}`
  const elected = result.candidates.filter((c) => c.elected === true).map((c) => label(c.key))
  const tied = result.candidates.filter((c) => c.elected === 'tie').map((c) => label(c.key))
  const parts = [elected.length > 0 ? `${w.elected(elected.length)}: ${elected.join(', ')}` : w.none]
  if (tied.length > 0) parts.push(w.tie(joinNames(tied, w.and)))
  return `${w.seats(result.seats)}. ${parts.join('; ')}.`
}

function explainElection(
  result: Omit<ElectionResult, 'explanation'>,
  rule: MajorityRule,
  options: readonly MotionOption[],
  language: Language,
): string {
  const label = (key: string) => options.find((option) => option.key === key)?.label ?? key
  const format = (value: bigint) => (result.base === 'units' ? value.toString() : formatCoefficient(value))
  const figures = result.candidates
    .map(
      (c) =>
        `${c.rank}. ${label(c.key)} ${format(c.value)} (${toPercentString(c.value, result.denominator)} %)`,
    )
    .join('; ')
  const w = majorityWords(language)
  return w.tidy(
    `${electionSummary(result, options, language)} ${figures} ${w.of} ${denominatorPhrase(rule, w)}.`,
  )
}

function joinNames(names: readonly string[], and: string): string {
  if (names.length <= 1) return names.join('')
  return `${names.slice(0, -1).join(', ')}${and}${names.at(-1)}`
}
