import { formatThresholdValue } from '../decimal.ts'
import type { MotionResult } from '../motions/results.ts'
import { publishResult } from '../motions/secret-publication.ts'
import { describeSource, majorityPresetInfo, quorumPresetInfo } from '../rules/preset-catalog.ts'
import type { MajorityRule, QuorumRule, Threshold } from '../rules/types.ts'
import {
  type ActaDictionary,
  type ActaLanguage,
  actaLanguage,
  dictionaryFor,
  formatDateTime,
  formatPercent,
  formatTime,
  localeFor,
} from './i18n.ts'
import type { ActaModel, ActaProposal } from './model.ts'

/*
 * The acta laid out once, in words of the chosen language, as sections of simple blocks. The HTML and
 * PDF renderers only draw these blocks, so both formats always carry the same content.
 */

export interface ActaColumn {
  label: string
  numeric?: boolean
  /** Relative width, for renderers that need one (PDF). */
  width: number
}

export type ActaBlock =
  | { type: 'fields'; fields: [string, string][] }
  | { type: 'paragraph'; text: string }
  | { type: 'quote'; text: string }
  | { type: 'subheading'; text: string }
  | { type: 'table'; columns: ActaColumn[]; rows: string[][] }
  | { type: 'signatures'; lines: { role: string; name: string }[] }

export interface ActaSection {
  heading: string
  blocks: ActaBlock[]
}

export interface ActaDocument {
  language: ActaLanguage
  title: string
  subtitle: string
  sections: ActaSection[]
  footer: string
}

/** Lays out the acta in `language` ('es' by default, or the PH's language). */
export function buildActaDocument(model: ActaModel, language?: string): ActaDocument {
  const lang = actaLanguage(language ?? model.ph.language)
  const t = dictionaryFor(lang)
  const locale = localeFor(lang, model.ph.locale)
  const when = (date: Date) => formatDateTime(date, locale, model.ph.timeZone)
  const time = (date: Date) => formatTime(date, locale, model.ph.timeZone)
  const context: Context = { model, t, when, time, language: lang }
  return {
    language: lang,
    title: t.title(model.acta.number, model.acta.kind === 'extraordinary'),
    subtitle: model.ph.name,
    sections: [
      meetingSection(context),
      attendeesSection(context),
      quorumSection(context),
      officersSection(context),
      agendaSection(context),
      proposalsSection(context),
      timesSection(context),
      signaturesSection(context),
    ],
    footer: `${t.generatedAt} ${when(model.generatedAt)}`,
  }
}

interface Context {
  model: ActaModel
  t: ActaDictionary
  when: (date: Date) => string
  time: (date: Date) => string
  language: ActaLanguage
}

function meetingSection({ model, t, when }: Context): ActaSection {
  const { ph, meeting } = model
  const fields: [string, string | null][] = [
    [t.fields.phName, ph.name],
    [t.fields.legalName, ph.legalName],
    [t.fields.registryNumber, ph.registryNumber],
    [t.fields.taxId, ph.taxId],
    [t.fields.address, ph.address],
    [t.fields.actaType, t.kind[model.acta.kind]],
    [t.fields.meetingTitle, meeting.title],
    [t.fields.modality, t.modality[meeting.modality]],
    [t.fields.location, meeting.location],
    [t.fields.meetingUrl, meeting.meetingUrl],
    [t.fields.firstCallAt, when(meeting.firstCallAt)],
    [t.fields.secondCallAt, meeting.secondCallAt && when(meeting.secondCallAt)],
    [t.fields.call, t.call[meeting.call]],
    [t.fields.convenedBy, meeting.convenedBy ?? t.none],
  ]
  const blocks: ActaBlock[] = [{ type: 'fields', fields: present(fields) }]
  blocks.push({ type: 'subheading', text: t.fields.callText })
  blocks.push(
    meeting.callText ? { type: 'quote', text: meeting.callText } : { type: 'paragraph', text: t.none },
  )
  return { heading: t.sections.meeting, blocks }
}

function attendeesSection({ model, t, time }: Context): ActaSection {
  if (model.attendees.length === 0)
    return { heading: t.sections.attendees, blocks: [{ type: 'paragraph', text: t.noAttendees }] }
  const c = t.columns
  const columns: ActaColumn[] = [
    { label: c.unit, width: 1 },
    { label: c.finca, width: 1.2 },
    ...(model.amendsBylaws ? [{ label: c.coefficient, numeric: true, width: 1.3 }] : []),
    { label: c.owners, width: 2.5 },
    { label: c.attendee, width: 2.2 },
    { label: c.capacity, width: 1.3 },
    { label: c.mode, width: 1.3 },
    { label: c.checkedIn, width: 1 },
  ]
  const rows = model.attendees.map((a) => [
    a.unitNumber,
    a.finca ?? '',
    ...(model.amendsBylaws ? [a.coefficient ? formatPercent(a.coefficient) : ''] : []),
    a.owners.join(', '),
    a.attendee ?? '',
    t.capacity[a.capacity],
    a.modes.map((mode) => t.mode[mode]).join(' / '),
    time(a.checkedInAt),
  ])
  return { heading: t.sections.attendees, blocks: [{ type: 'table', columns, rows }] }
}

function quorumSection({ model, t, time, language }: Context): ActaSection {
  const { quorum } = model
  const established = quorum.established
  const fields: [string, string][] = [
    [t.fields.inPersonUnits, String(quorum.inPersonUnits)],
    [t.fields.remoteUnits, String(quorum.remoteUnits)],
    [t.fields.attendedUnits, String(quorum.attendedUnits)],
    [t.fields.totalUnits, String(quorum.totalUnits)],
    [t.fields.eligibleUnits, String(quorum.eligibleUnits)],
    [t.fields.owners, `${quorum.attendedOwners} / ${quorum.totalOwners}`],
    [t.fields.arrears, t.arrears[quorum.arrearsVoting] ?? quorum.arrearsVoting],
    [t.fields.quorumRule, quorumRuleText(quorum.rule, t, language)],
    [
      t.fields.established,
      established
        ? `${time(established.at)}, ${t.call[established.call]}: ${established.presentUnits}/${established.totalUnits} ` +
          `${t.majority.units}, ${formatPercent(established.presentCoefficient)} %`
        : t.none,
    ],
  ]
  const blocks: ActaBlock[] = [{ type: 'fields', fields }]
  if (quorum.log.length > 0) {
    const c = t.columns
    blocks.push({
      type: 'table',
      columns: [
        { label: c.time, width: 1 },
        { label: c.call, width: 1.6 },
        { label: c.presentUnits, numeric: true, width: 1.4 },
        { label: c.presentOwners, numeric: true, width: 1.4 },
        { label: c.presentCoefficient, numeric: true, width: 1.6 },
        { label: c.reached, width: 1.2 },
      ],
      rows: quorum.log.map((entry) => [
        time(entry.at),
        t.call[entry.call],
        `${entry.presentUnits}/${entry.totalUnits}`,
        `${entry.presentOwners}/${entry.totalOwners}`,
        formatPercent(entry.presentCoefficient),
        entry.reached ? t.reached : t.notReached,
      ]),
    })
  }
  return { heading: t.sections.quorum, blocks }
}

function officersSection({ model, t }: Context): ActaSection {
  const { officers } = model
  return {
    heading: t.sections.officers,
    blocks: [
      {
        type: 'fields',
        fields: [
          [t.fields.president, officers.president ?? t.none],
          [t.fields.secretary, officers.secretary ?? t.none],
          [t.fields.election, officers.election ?? t.none],
        ],
      },
    ],
  }
}

function agendaSection({ model, t }: Context): ActaSection {
  const blocks: ActaBlock[] = []
  for (const item of model.agenda) {
    blocks.push({ type: 'subheading', text: `${item.position}. ${item.title}` })
    if (item.description) blocks.push({ type: 'paragraph', text: item.description })
    if (item.notes) blocks.push({ type: 'paragraph', text: item.notes })
    if (item.speakers?.length) {
      const names = item.speakers.map((speaker) => `${speaker.name} (${speaker.units.join(', ')})`)
      blocks.push({ type: 'fields', fields: [[t.fields.speakers, names.join('; ')]] })
    }
  }
  if (blocks.length === 0) blocks.push({ type: 'paragraph', text: t.none })
  return { heading: t.sections.agenda, blocks }
}

function proposalsSection(context: Context): ActaSection {
  const { model, t } = context
  if (model.proposals.length === 0)
    return { heading: t.sections.proposals, blocks: [{ type: 'paragraph', text: t.noProposals }] }
  return {
    heading: t.sections.proposals,
    blocks: model.proposals.flatMap((proposal, index) => proposalBlocks(context, proposal, index + 1)),
  }
}

function proposalBlocks(
  { model, t, language }: Context,
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
  const labelOf = (key: string | null) =>
    result.totals.motion.options.find((option) => option.key === key)?.label ?? key
  const isChoice = result.totals.motion.options.some((option) => option.kind === 'choice')
  fields.push([t.fields.outcome, t.outcome[result.outcome]])
  if (isChoice) fields.push([t.winner, majority.winningOption ? labelOf(majority.winningOption) : t.none])
  const preset = majorityPresetInfo(result.majorityRule.preset)
  const ruleWords = describeMajorityRule(result.majorityRule, t)
  fields.push([t.fields.majority, preset ? `${preset.label[language]} (${ruleWords})` : ruleWords])
  fields.push([
    t.fields.count,
    shown.protected ? shown.explanation : explainMajority(result, t, labelOf(majority.decidingOption) ?? ''),
  ])
  blocks.push({ type: 'fields', fields: present(fields) })
  const c = t.columns
  blocks.push({
    type: 'table',
    columns: [
      { label: c.option, width: 3 },
      { label: c.units, numeric: true, width: 1 },
      { label: c.coefficient, numeric: true, width: 1.5 },
    ],
    rows: [
      ...tally.options.map((row) => [
        labelOf(row.key) ?? row.key,
        String(row.units),
        shownPercent(row.coefficient, t),
      ]),
      ...(
        [
          [t.fields.cast, tally.cast],
          [t.fields.abstained, tally.abstained],
          [t.fields.notVoted, tally.notVoted],
          [t.fields.present, tally.present],
          [t.fields.eligible, tally.eligible],
        ] as const
      ).map(([label, row]) => [label, String(row.units), shownPercent(row.coefficient, t)]),
    ],
  })
  blocks.push({
    type: 'fields',
    fields: [[t.fields.snapshot, `#${result.sequence} · SHA-256 ${result.hash}`]],
  })
  return blocks
}

function shownPercent(value: string | null, t: ActaDictionary): string {
  return value === null ? t.withheld : formatPercent(value)
}

function timesSection({ model, t, when }: Context): ActaSection {
  const { times } = model
  const blocks: ActaBlock[] = [
    {
      type: 'fields',
      fields: [
        [t.fields.startedAt, times.startedAt ? when(times.startedAt) : t.none],
        [t.fields.endedAt, times.endedAt ? when(times.endedAt) : t.none],
      ],
    },
  ]
  if (times.events.length === 0) {
    blocks.push({ type: 'paragraph', text: t.noEvents })
  } else {
    blocks.push({
      type: 'table',
      columns: [
        { label: t.columns.time, width: 2 },
        { label: t.columns.event, width: 1.5 },
        { label: t.columns.note, width: 3 },
      ],
      rows: times.events.map((event) => [
        when(event.at),
        t.events[event.kind] ?? event.kind,
        event.note ?? '',
      ]),
    })
  }
  return { heading: t.sections.times, blocks }
}

function signaturesSection({ model, t }: Context): ActaSection {
  return {
    heading: t.sections.signatures,
    blocks: [
      {
        type: 'signatures',
        lines: [
          { role: t.fields.president, name: model.officers.president ?? '' },
          { role: t.fields.secretary, name: model.officers.secretary ?? '' },
        ],
      },
    ],
  }
}

/** A quorum rule in words, e.g. 'por coeficiente: más de 1/2 en primera convocatoria; al menos 30 % en segunda'. */
/** The rule's preset name when it has one, then the rule in words and, for a preset, its source and note. */
function quorumRuleText(rule: QuorumRule, t: ActaDictionary, language: ActaLanguage): string {
  const info = quorumPresetInfo(rule.preset)
  const words = describeQuorumRule(rule, t)
  if (!info) return words
  const note = info.note ? ` ${info.note[language]}` : ''
  const source = describeSource(info.source, language)
  return `${info.label[language]} (${words}). ${source.charAt(0).toUpperCase()}${source.slice(1)}.${note}`
}

export function describeQuorumRule(rule: QuorumRule, t: ActaDictionary): string {
  const base =
    rule.base === 'both'
      ? t.majority.both
      : rule.base === 'units'
        ? t.majority.byUnits
        : rule.base === 'owners'
          ? t.majority.byOwners
          : t.majority.byCoefficient
  const first = `${thresholdText(rule.firstCall, t)} ${t.majority.firstCall}`
  const second = rule.secondCall
    ? `${thresholdText(rule.secondCall, t)} ${t.majority.secondCall}`
    : t.majority.noSecondCall
  const upToDate = rule.eligibleOnly ? ` (${t.majority.upToDateOnly})` : ''
  return `${base}${upToDate}: ${first}; ${second}`
}

/** A majority rule in words, e.g. 'al menos 51 % de las unidades al día, por número de unidades'. */
export function describeMajorityRule(rule: MajorityRule, t: ActaDictionary): string {
  const base = rule.base === 'units' ? t.majority.byUnits : t.majority.byCoefficient
  const upToDate = rule.eligibleOnly && rule.denominator !== 'eligible' ? ` (${t.majority.upToDateOnly})` : ''
  if (rule.threshold === null)
    return `${t.majority.relative} ${denominatorPhrase(rule, t)}, ${base}${upToDate}`
  return `${thresholdText(rule.threshold, t)} ${denominatorPhrase(rule, t)}, ${base}${upToDate}`
}

/** The numbers that decided the motion, in words of the acta's language. */
export function explainMajority(result: MotionResult, t: ActaDictionary, decidingLabel: string): string {
  const { majority } = result.totals
  const isUnits = majority.base === 'units'
  const share = isUnits
    ? `${majority.numerator} ${t.majority.of} ${majority.denominator} ${t.majority.units} (${majority.percent} %)`
    : `${formatPercent(majority.numerator)} % ${t.majority.of} ${formatPercent(majority.denominator)} % (${majority.percent} %)`
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

function thresholdText(threshold: Threshold, t: ActaDictionary): string {
  return `${threshold.strict ? t.majority.moreThan : t.majority.atLeast} ${formatThresholdValue(threshold)}`
}

function present(fields: [string, string | null][]): [string, string][] {
  return fields.filter((field): field is [string, string] => field[1] !== null && field[1] !== '')
}
