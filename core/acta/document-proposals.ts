import { formatThresholdValue } from '../decimal.ts'
import type { MotionResult } from '../motions/results.ts'
import { publishResult } from '../motions/secret-publication.ts'
import { electionSummary } from '../rules/election.ts'
import { majorityPresetInfo } from '../rules/preset-catalog.ts'
import type { MajorityRule, Threshold } from '../rules/types.ts'
import { type ActaBlock, type ActaContext, type ActaSection, present } from './document-types.ts'
import { type ActaDictionary, formatPercentShort } from './i18n.ts'
import type { ActaProposal } from './proposals.ts'

/*
 * Section 6 (art. 71.8): each proposal in agenda order, how it was voted and the count. Percentages are
 * rounded to two decimals here; the annex carries them exactly. A named vote lists each unit's choice;
 * a secret one never does (its votes are not even loaded into the model).
 */

export function proposalsSection(context: ActaContext): ActaSection {
  const { model, t } = context
  if (model.proposals.length === 0)
    return { heading: t.sections.proposals, blocks: [{ type: 'paragraph', text: t.noProposals }] }
  return {
    heading: t.sections.proposals,
    blocks: model.proposals.flatMap((proposal, index) => proposalBlocks(context, proposal, index + 1)),
  }
}

/** The label of an option key as the motion had it at close (the key itself if unknown). */
/** The table rows of a tally's totals (voted, abstained, did not vote, present, entitled), in one order. */
export function tallyTotalRows<C>(
  t: ActaDictionary,
  tally: Record<
    'cast' | 'abstained' | 'notVoted' | 'present' | 'eligible',
    { units: number; coefficient: C }
  >,
  percent: (coefficient: C) => string,
): string[][] {
  return (
    [
      [t.fields.cast, tally.cast],
      [t.fields.abstained, tally.abstained],
      [t.fields.notVoted, tally.notVoted],
      [t.fields.present, tally.present],
      [t.fields.eligible, tally.eligible],
    ] as const
  ).map(([label, row]) => [label, String(row.units), percent(row.coefficient)])
}

export function optionLabel(proposal: ActaProposal, key: string | null): string {
  const options = proposal.result?.totals.motion.options ?? proposal.options
  return options.find((option) => option.key === key)?.label ?? key ?? ''
}

function proposalBlocks(
  { model, t, language }: ActaContext,
  proposal: ActaProposal,
  number: number,
): ActaBlock[] {
  const blocks: ActaBlock[] = [{ type: 'subheading', text: `6.${number}. ${proposal.title}` }]
  if (proposal.description) blocks.push({ type: 'paragraph', text: proposal.description })
  const item = model.agenda.find((entry) => entry.id === proposal.agendaItemId)
  const fields: [string, string | null][] = [
    [t.fields.agendaItem, item ? `${item.position}. ${item.title}` : null],
    [t.fields.ballot, proposal.secret ? t.ballot.secret : t.ballot.named],
  ]
  const result = proposal.result
  if (!result) {
    fields.push([t.fields.outcome, t.notVotedStatus[proposal.status]])
    blocks.push({ type: 'fields', fields: present(fields) })
    return blocks
  }
  // A secret motion shows only what does not single out voters (exact figures stay in the snapshot).
  const shown = publishResult(result, { exact: false })
  const { majority, tally } = shown.totals
  const labelOf = (key: string | null) => optionLabel(proposal, key)
  const isChoice = result.totals.motion.options.some((option) => option.kind === 'choice')
  // An election lists who is elected (Electo/a) and who ties, instead of Aprobada/Rechazada and a winner.
  const election = result.totals.election
  const marks = language === 'es' ? ELECTED_ES : ELECTED_EN
  const electedMark = new Map(election?.candidates.map((c) => [c.key, marks[`${c.elected}`]]))
  fields.push([
    t.fields.outcome,
    election
      ? electionSummary({ ...election, outcome: result.outcome }, result.totals.motion.options, language)
      : t.outcome[result.outcome],
  ])
  if (result.totals.quorumLostDuringVote) fields.push([t.quorumLost, t.quorumLostText])
  if (isChoice && !election)
    fields.push([t.winner, majority.winningOption ? labelOf(majority.winningOption) : t.none])
  const preset = majorityPresetInfo(result.majorityRule.preset)
  const ruleWords = describeMajorityRule(result.majorityRule, t)
  fields.push([t.fields.majority, preset ? `${preset.label[language]} (${ruleWords})` : ruleWords])
  fields.push([
    t.fields.count,
    shown.protected || election
      ? shown.explanation
      : explainMajority(result, t, labelOf(majority.decidingOption)),
  ])
  blocks.push({ type: 'fields', fields: present(fields) })
  const c = t.columns
  const percent = (value: string | null) => (value === null ? t.withheld : formatPercentShort(value))
  blocks.push({
    type: 'table',
    columns: [
      { label: c.option, width: 3 },
      { label: c.units, numeric: true, width: 1 },
      { label: c.coefficient, numeric: true, width: 1.5 },
    ],
    rows: [
      ...tally.options.map((row) => [
        [labelOf(row.key), electedMark.get(row.key)].filter(Boolean).join(' — '),
        String(row.units),
        percent(row.coefficient),
      ]),
      ...tallyTotalRows<string | null>(t, tally, percent),
    ],
  })
  if (proposal.nominal) blocks.push(...nominalBlocks(proposal, t))
  blocks.push({
    type: 'fields',
    fields: [[t.fields.snapshot, `#${result.sequence} · SHA-256 ${result.hash}`]],
  })
  return blocks
}

const ELECTED_ES = { true: 'Electo/a', false: '', tie: 'Empate' }
const ELECTED_EN = { true: 'Elected', false: '', tie: 'Tie' }

/** The roll call of a named vote: each unit that voted and its choice(s), by unit number. */
function nominalBlocks(proposal: ActaProposal, t: ActaDictionary): ActaBlock[] {
  const votes = proposal.nominal ?? []
  const head: ActaBlock = { type: 'subheading', text: t.nominal }
  if (votes.length === 0) return [head, { type: 'paragraph', text: t.nominalNone }]
  const choice = (keys: string[]) =>
    keys.length === 0 ? t.abstention : keys.map((key) => optionLabel(proposal, key)).join(', ')
  return [
    head,
    {
      type: 'table',
      columns: [
        { label: t.columns.unit, width: 1 },
        { label: t.columns.option, width: 4 },
      ],
      rows: votes.map((vote) => [vote.unitNumber, choice(vote.optionKeys)]),
    },
  ]
}

/** A majority rule in words, e.g. 'al menos 51 % de las unidades al día, por número de unidades'. */
export function describeMajorityRule(rule: MajorityRule, t: ActaDictionary): string {
  const base = rule.base === 'units' ? t.majority.byUnits : t.majority.byCoefficient
  const upToDate = rule.eligibleOnly && rule.denominator !== 'eligible' ? ` (${t.majority.upToDateOnly})` : ''
  if (rule.threshold === null)
    return `${t.majority.relative} ${denominatorPhrase(rule, t)}, ${base}${upToDate}`
  return `${thresholdText(rule.threshold, t)} ${denominatorPhrase(rule, t)}, ${base}${upToDate}`
}

/** The numbers that decided the motion, in words of the acta's language, percentages to two decimals. */
export function explainMajority(result: MotionResult, t: ActaDictionary, decidingLabel: string): string {
  const { majority } = result.totals
  const isUnits = majority.base === 'units'
  const share = isUnits
    ? `${majority.numerator} ${t.majority.of} ${majority.denominator} ${t.majority.units} (${formatPercentShort(majority.percent)} %)`
    : `${formatPercentShort(majority.numerator)} % ${t.majority.of} ${formatPercentShort(majority.denominator)} % (${formatPercentShort(majority.percent)} %)`
  const rule = majority.threshold
    ? `${t.majority.required} ${thresholdText(majority.threshold, t)}`
    : `${t.majority.required} ${t.majority.relative}`
  return `${decidingLabel}: ${share} ${denominatorPhrase(result.majorityRule, t)}; ${rule} → ${t.outcome[result.outcome]}.`
}

function denominatorPhrase(rule: MajorityRule, t: ActaDictionary): string {
  if (rule.denominator === 'present') return t.majority.present
  if (rule.denominator === 'eligible')
    return rule.eligibleOnly ? t.majority.eligibleUpToDate : t.majority.eligibleAll
  return rule.abstentionsCount ? t.majority.cast : t.majority.castNoAbstentions
}

export function thresholdText(threshold: Threshold, t: ActaDictionary): string {
  return `${threshold.strict ? t.majority.moreThan : t.majority.atLeast} ${formatThresholdValue(threshold)}`
}
