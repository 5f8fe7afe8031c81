import { formatCoefficient, formatThresholdValue, meetsThreshold, toPercentString } from '../decimal.ts'
import { RuleError, type TallyResult, type TallyRow } from './tally.ts'
import type { Base, MajorityRule, MotionOption, Threshold } from './types.ts'

export interface MajorityInput {
  rule: MajorityRule
  tally: TallyResult
  options: readonly MotionOption[]
  /** Language of the explanation (the PH's): Spanish or English. */
  language?: Language
}

export type Language = 'es' | 'en'

/** The words of an explanation; numbers and option labels are filled in around them. */
const words = {
  en: {
    of: 'of',
    coefficientOf: (units: string) => `the coefficient of ${units}`,
    voted: (upToDate: boolean, abstentions: boolean) =>
      `${upToDate ? 'up-to-date ' : ''}units that voted${abstentions ? '' : ', abstentions excluded'}`,
    present: (upToDate: boolean) => `${upToDate ? 'up-to-date ' : ''}present units`,
    eligible: 'eligible (up-to-date) units',
    all: 'all units',
    anyOther: 'any other option',
    noVotesAmong: (phrase: string) => `No votes for any option among ${phrase}.`,
    noUnits: (units: string) => `No votes to count: there are no ${units}.`,
    zeroCoefficient: (units: string, separator: string) =>
      `No votes to count: the coefficient of ${units}${separator} is zero.`,
    but: (label: string, percent: string) => `but ${label} has ${percent}`,
    approved: 'approved',
    rejected: 'rejected',
    tie: 'tie, not approved',
    noVotes: 'no votes',
    wins: (label: string) => `approved, ${label} wins`,
    tidy: (text: string) => text,
  },
  es: {
    of: 'de',
    coefficientOf: (units: string) => `el coeficiente de ${units}`,
    voted: (upToDate: boolean, abstentions: boolean) =>
      `unidades${upToDate ? ' al día' : ''} que votaron${abstentions ? '' : ', sin contar abstenciones'}`,
    present: (upToDate: boolean) => `unidades presentes${upToDate ? ' al día' : ''}`,
    eligible: 'unidades elegibles (al día)',
    all: 'todas las unidades',
    anyOther: 'ninguna otra opción',
    noVotesAmong: (phrase: string) => `Ningún voto por ninguna opción entre ${phrase}.`,
    noUnits: (units: string) => `No hay votos que contar: no hay ${units}.`,
    zeroCoefficient: (units: string, separator: string) =>
      `No hay votos que contar: el coeficiente de ${units}${separator} es cero.`,
    but: (label: string, percent: string) => `pero ${label} tiene ${percent}`,
    approved: 'aprobada',
    rejected: 'rechazada',
    tie: 'empate, no aprobada',
    noVotes: 'sin votos',
    wins: (label: string) => `aprobada, gana ${label}`,
    // Spanish contracts "de el" into "del".
    tidy: (text: string) => text.replaceAll(' de el ', ' del '),
  },
} as const

/** The words of an explanation in one language. */
export type Words = (typeof words)[Language]

/** The explanation words of a language. */
export const majorityWords = (language: Language = 'en'): Words => words[language]

export type MajorityOutcome = 'approved' | 'rejected' | 'tie' | 'no_votes'

export interface MajorityResult {
  outcome: MajorityOutcome
  /** The approved option ('yes' key for yes/no motions, the winner for choice motions); else null. */
  winningOption: string | null
  /** The option whose count decided: 'yes' for yes/no motions, the leading option otherwise. */
  decidingOption: string
  base: Base
  /** Count of the deciding option, in units or nano-percent depending on `base`. */
  numerator: bigint
  /** The rule's denominator, in the same measure as the numerator. */
  denominator: bigint
  /** numerator/denominator as a percentage with 4 decimals. */
  percent: string
  threshold: Threshold | null
  explanation: string
}

interface Candidate {
  option: MotionOption
  value: bigint
}

/**
 * Decides a motion from its tally under a majority rule, exactly.
 * Yes/no motions (an option of kind 'yes') are approved only when 'yes' wins; choice motions are
 * approved with the leading 'choice' option as winner. Abstain options never win.
 * threshold null: relative majority, the leader must strictly exceed every other option.
 * Otherwise the leader must also meet the threshold over the denominator; a tie for the lead is 'tie'.
 * 'no_votes' when the denominator is zero, or under relative majority when no option got any weight.
 */
export function evaluateMajority(input: MajorityInput): MajorityResult {
  const { rule, tally, options } = input
  const w: Words = words[input.language ?? 'en']
  const candidates = candidatesOf(options, tally, rule)
  const denominator = denominatorOf(rule, tally)
  const base = rule.base
  const threshold = rule.threshold
  const yes = candidates.find((candidate) => candidate.option.kind === 'yes')
  const ranked = [...candidates].sort((a, b) => (a.value === b.value ? 0 : a.value > b.value ? -1 : 1))
  const deciding = yes ?? ranked[0]
  if (!deciding) throw new RuleError('A motion needs a yes option or at least one choice')
  const numerator = deciding.value
  const result = {
    decidingOption: deciding.option.key,
    base,
    numerator,
    denominator,
    percent: toPercentString(numerator, denominator),
    threshold,
  }

  if (denominator === 0n) {
    return { ...result, outcome: 'no_votes', winningOption: null, explanation: noVotesExplanation(rule, w) }
  }

  // The strongest rival of the deciding option: for yes/no that is 'no', for choices the runner-up.
  const rival = ranked.find((candidate) => candidate !== deciding)
  const rivalValue = rival?.value ?? 0n
  const meets = threshold === null || meetsThreshold(numerator, denominator, threshold)
  if (threshold === null && numerator === 0n && rivalValue === 0n) {
    const explanation = w.noVotesAmong(denominatorPhrase(rule, w))
    return { ...result, outcome: 'no_votes', winningOption: null, explanation }
  }

  const outcome: MajorityOutcome =
    numerator > rivalValue && meets ? 'approved' : numerator === rivalValue && meets ? 'tie' : 'rejected'
  const winningOption = outcome === 'approved' ? deciding.option.key : null
  const explanation = w.tidy(explain({ rule, deciding, rival, denominator, outcome, meets }, w))
  return { ...result, outcome, winningOption, explanation }
}

function candidatesOf(options: readonly MotionOption[], tally: TallyResult, rule: MajorityRule): Candidate[] {
  const rowByKey = new Map(tally.options.map((row) => [row.key, row]))
  const kinds = options.map((option) => option.kind)
  const yesCount = kinds.filter((kind) => kind === 'yes').length
  const noCount = kinds.filter((kind) => kind === 'no').length
  const choiceCount = kinds.filter((kind) => kind === 'choice').length
  if (yesCount > 1 || noCount > 1) throw new RuleError('A motion has at most one yes and one no option')
  if (choiceCount > 0 && yesCount + noCount > 0) throw new RuleError('A motion cannot mix yes/no and choices')
  if (noCount > 0 && yesCount === 0) throw new RuleError('A motion with a no option needs a yes option')

  const candidates: Candidate[] = []
  for (const option of options) {
    const row = rowByKey.get(option.key)
    if (!row) throw new RuleError(`Option ${option.key} is missing from the tally`)
    if (option.kind === 'abstain') continue
    candidates.push({ option, value: weightOf(row, rule) })
  }
  return candidates
}

/** A tally row's weight under a rule. When only up-to-date units may vote, the others are ignored in numerators and denominators alike. */
export function weightOf(row: TallyRow, rule: MajorityRule): bigint {
  const count = rule.eligibleOnly ? row.upToDate : row
  return rule.base === 'units' ? BigInt(count.units) : count.coefficient
}

/** The rule's denominator over a tally, in the rule's base. */
export function denominatorOf(rule: MajorityRule, tally: TallyResult): bigint {
  if (rule.denominator === 'present') return weightOf(tally.present, rule)
  if (rule.denominator === 'eligible') return weightOf(tally.eligible, rule)
  const cast = weightOf(tally.cast, rule)
  return rule.abstentionsCount ? cast : cast - weightOf(tally.abstained, rule)
}

/** Which weight the denominator measures, in words (e.g. 'the coefficient of present units'). */
export function denominatorPhrase(rule: MajorityRule, w: Words): string {
  const units = unitsPhrase(rule, w)
  return rule.base === 'units' ? units : w.coefficientOf(units)
}

// Which units make up the denominator, e.g. 'up-to-date units that voted, abstentions excluded'.
function unitsPhrase(rule: MajorityRule, w: Words): string {
  if (rule.denominator === 'cast') return w.voted(rule.eligibleOnly, rule.abstentionsCount)
  if (rule.denominator === 'present') return w.present(rule.eligibleOnly)
  return rule.eligibleOnly ? w.eligible : w.all
}

function noVotesExplanation(rule: MajorityRule, w: Words): string {
  if (rule.base === 'units') return w.noUnits(unitsPhrase(rule, w))
  // The phrase may end in a parenthetical clause, which needs closing before the verb.
  const separator = rule.denominator === 'cast' && !rule.abstentionsCount ? ',' : ''
  return w.zeroCoefficient(unitsPhrase(rule, w), separator)
}

function formatValue(value: bigint, base: Base): string {
  return base === 'units' ? value.toString() : formatCoefficient(value)
}

interface ExplainInput {
  rule: MajorityRule
  deciding: Candidate
  rival: Candidate | undefined
  denominator: bigint
  outcome: MajorityOutcome
  meets: boolean
}

function explain(input: ExplainInput, w: Words): string {
  const { rule, deciding, rival, denominator, outcome, meets } = input
  const { base, threshold } = rule
  const name = deciding.option.label
  const percent = `${toPercentString(deciding.value, denominator)} %`
  const phrase = denominatorPhrase(rule, w)
  const verdict = outcomeText(outcome, deciding, w)

  if (threshold === null) {
    const rivalName = rival?.option.label ?? w.anyOther
    const rivalValue = rival?.value ?? 0n
    const sign = deciding.value > rivalValue ? '>' : deciding.value === rivalValue ? '=' : '<'
    const rivalPercent = `${toPercentString(rivalValue, denominator)} %`
    const counts = `${formatValue(deciding.value, base)} ${sign} ${formatValue(rivalValue, base)}`
    const total = formatValue(denominator, base)
    const comparison = `${name} ${percent} ${sign} ${rivalName} ${rivalPercent}`
    return `${comparison} ${w.of} ${phrase} (${counts} ${w.of} ${total}): ${verdict}`
  }

  const value = formatThresholdValue(threshold)
  const sign = meets ? (threshold.strict ? '>' : '≥') : threshold.strict ? '≤' : '<'
  const counts = `(${formatValue(deciding.value, base)} ${w.of} ${formatValue(denominator, base)})`
  const head = `${name} ${percent} ${w.of} ${phrase} ${counts} ${sign} ${value}`
  if (!meets || !rival || deciding.value > rival.value) return `${head}: ${verdict}`
  const rivalPercent = `${toPercentString(rival.value, denominator)} %`
  return `${head} ${w.but(rival.option.label, rivalPercent)}: ${verdict}`
}

function outcomeText(outcome: MajorityOutcome, deciding: Candidate, w: Words): string {
  if (outcome === 'tie') return w.tie
  if (outcome === 'rejected') return w.rejected
  if (outcome === 'no_votes') return w.noVotes
  return deciding.option.kind === 'choice' ? w.wins(deciding.option.label) : w.approved
}
