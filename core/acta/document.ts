import { describeSource, quorumPresetInfo } from '../rules/preset-catalog.ts'
import type { QuorumRule } from '../rules/types.ts'
import { annexSection } from './document-annex.ts'
import { proposalsSection, thresholdText } from './document-proposals.ts'
import {
  type ActaBlock,
  type ActaColumn,
  type ActaContext,
  type ActaDocument,
  type ActaSeal,
  type ActaSection,
  present,
} from './document-types.ts'
import {
  type ActaDictionary,
  type ActaLanguage,
  actaLanguage,
  dictionaryFor,
  formatDateTime,
  formatPercentShort,
  formatTime,
  localeFor,
} from './i18n.ts'
import type { ActaModel } from './model.ts'

export { describeMajorityRule, explainMajority } from './document-proposals.ts'
export type { ActaBlock, ActaColumn, ActaDocument, ActaSeal, ActaSection } from './document-types.ts'

/*
 * The acta laid out once, in words of the chosen language, as sections of simple blocks. The HTML and
 * PDF renderers only draw these blocks, so both formats always carry the same content.
 */

/** Lays out the acta in `language` ('es' by default, or the PH's language). */
export function buildActaDocument(model: ActaModel, language?: string, seal?: ActaSeal | null): ActaDocument {
  const lang = actaLanguage(language ?? model.ph.language)
  const t = dictionaryFor(lang)
  const locale = localeFor(lang, model.ph.locale)
  const when = (date: Date) => formatDateTime(date, locale, model.ph.timeZone)
  const time = (date: Date) => formatTime(date, locale, model.ph.timeZone)
  const context: ActaContext = { model, t, when, time, language: lang, seal: seal ?? null }
  return {
    language: lang,
    title: t.title(model.acta.number, model.acta.kind === 'extraordinary'),
    subtitle: model.ph.name,
    status: t.status[seal?.status ?? 'draft'] ?? null,
    sections: [
      meetingSection(context),
      attendeesSection(context),
      quorumSection(context),
      officersSection(context),
      agendaSection(context),
      proposalsSection(context),
      timesSection(context),
      signaturesSection(context),
      annexSection(context),
    ],
    footer: `${t.generatedAt} ${when(model.generatedAt)}`,
  }
}

function meetingSection({ model, t, when }: ActaContext): ActaSection {
  const { ph, meeting } = model
  const convener =
    meeting.convenedBy && meeting.convenerPosition
      ? `${meeting.convenedBy} (${meeting.convenerPosition})`
      : meeting.convenedBy
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
    [t.fields.convenedBy, convener ?? t.none],
  ]
  const blocks: ActaBlock[] = [{ type: 'fields', fields: present(fields) }]
  // The convocatoria as it was sent (art. 71.3); the PH's own call text when no notice went out here.
  blocks.push({ type: 'subheading', text: t.fields.callText })
  const notices = meeting.notices ?? (meeting.notice ? [{ ...meeting.notice, corrected: false }] : [])
  if (notices.length > 0) {
    for (const notice of notices) {
      blocks.push({
        type: 'paragraph',
        text: `${notice.corrected ? t.correctedNoticeSentAt : t.noticeSentAt} ${when(notice.sentAt)}: ${notice.subject}`,
      })
      blocks.push({ type: 'quote', text: notice.text })
    }
  } else {
    blocks.push(
      meeting.callText ? { type: 'quote', text: meeting.callText } : { type: 'paragraph', text: t.none },
    )
  }
  return { heading: t.sections.meeting, blocks }
}

function attendeesSection({ model, t, time }: ActaContext): ActaSection {
  if (model.attendees.length === 0)
    return { heading: t.sections.attendees, blocks: [{ type: 'paragraph', text: t.noAttendees }] }
  const c = t.columns
  const columns: ActaColumn[] = [
    { label: c.unit, width: 1 },
    { label: c.finca, width: 1.2 },
    ...(model.amendsBylaws ? [{ label: c.coefficient, numeric: true, width: 1.3 }] : []),
    { label: c.owners, width: 2.4 },
    { label: c.attendee, width: 2.1 },
    { label: c.capacity, width: 1.3 },
    { label: c.mode, width: 1.3 },
    { label: c.checkedIn, width: 1.4 },
  ]
  const rows = model.attendees.map((a) => [
    a.unitNumber,
    a.finca ?? '',
    ...(model.amendsBylaws ? [a.coefficient ? formatPercentShort(a.coefficient) : ''] : []),
    a.owners.join(', '),
    a.attendee ?? '',
    t.capacity[a.capacity],
    a.modes.map((mode) => t.mode[mode]).join(' / '),
    time(a.checkedInAt),
  ])
  return { heading: t.sections.attendees, blocks: [{ type: 'table', columns, rows }] }
}

function quorumSection({ model, t, time, language }: ActaContext): ActaSection {
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
          `${t.majority.units}, ${formatPercentShort(established.presentCoefficient)} %`
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
        formatPercentShort(entry.presentCoefficient),
        entry.reached ? t.reached : t.notReached,
      ]),
    })
  }
  return { heading: t.sections.quorum, blocks }
}

function officersSection({ model, t }: ActaContext): ActaSection {
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

function agendaSection({ model, t }: ActaContext): ActaSection {
  const blocks: ActaBlock[] = []
  for (const item of model.agenda) {
    blocks.push({ type: 'subheading', text: `${item.position}. ${item.title}` })
    if (item.description) blocks.push({ type: 'paragraph', text: item.description })
    if (item.speakers?.length) {
      const names = item.speakers.map((speaker) => `${speaker.name} (${speaker.units.join(', ')})`)
      blocks.push({ type: 'fields', fields: [[t.fields.speakers, names.join('; ')]] })
    }
    blocks.push({ type: 'fields', fields: [[t.discussion, item.notes || t.noDiscussion]] })
  }
  if (blocks.length === 0) blocks.push({ type: 'paragraph', text: t.none })
  return { heading: t.sections.agenda, blocks }
}

function timesSection({ model, t, when }: ActaContext): ActaSection {
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

function signaturesSection({ model, t, when, seal }: ActaContext): ActaSection {
  const signed = (role: 'president' | 'secretary') => {
    const signOff = seal?.signOffs.find((entry) => entry.role === role)
    return signOff && `${t.signedBy} ${signOff.signerName}, ${when(signOff.signedAt)}`
  }
  const blocks: ActaBlock[] = [
    {
      type: 'signatures',
      lines: [
        { role: t.fields.president, name: model.officers.president ?? '', signed: signed('president') },
        { role: t.fields.secretary, name: model.officers.secretary ?? '', signed: signed('secretary') },
      ],
    },
  ]
  if (seal?.hash) blocks.push({ type: 'fields', fields: [[t.actaHash, seal.hash]] })
  return { heading: t.sections.signatures, blocks }
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
