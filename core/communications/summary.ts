import { formatDateTime, localeFor } from '../acta/i18n.ts'
import type { ActaModel, ActaProposal } from '../acta/model.ts'
import { formatCoefficient, parseCoefficient } from '../decimal.ts'
import { publishResult } from '../motions/secret-publication.ts'
import { emailLayout, escapeHtml } from './email-html.ts'

/*
 * The summary of the decisions that art. 71 of Ley 284 has the administration send to every unit within
 * three calendar days of the meeting: each motion with its outcome and count. Built from the acta frozen
 * at the close only. Named motions show coefficients with two decimals; secret ones only what
 * core/motions/secret-publication.ts allows (one decimal, or no coefficient at all).
 */

export const SUMMARY_DEADLINE_DAYS = 3

export interface SummaryCount {
  label: string
  units: number
  /** Percent as shown ('34.57', or '34.6' for a secret motion), null when withheld. */
  percent: string | null
}

export interface SummaryDecision {
  title: string
  outcome: string
  secret: boolean
  counts: SummaryCount[]
  note: string | null
}

const WORDS = {
  es: {
    subject: 'Resumen de las decisiones',
    intro: (kind: string, n: number, date: string) =>
      `Asamblea ${kind} (acta n.º ${n}) del ${date}${date.endsWith('.') ? '' : '.'} La administración envía a cada unidad el resumen de las decisiones tomadas (Ley 284 de 2022, art. 71).`,
    kind: { ordinary: 'ordinaria', extraordinary: 'extraordinaria' },
    outcome: {
      approved: 'Aprobada',
      rejected: 'Rechazada',
      tie: 'Empate (no aprobada)',
      no_votes: 'Sin votos',
    },
    notVoted: 'No sometida a votación',
    abstained: 'Abstenciones',
    units: (n: number) => (n === 1 ? '1 unidad' : `${n} unidades`),
    withheld: 'coeficiente reservado',
    secret: 'Votación secreta: cifras redondeadas para no revelar votantes.',
    none: 'No se sometió ninguna moción a votación.',
    salutation: (name: string) => `Estimado(a) ${name}:`,
  },
  en: {
    subject: 'Summary of the decisions',
    intro: (kind: string, n: number, date: string) =>
      `${kind[0]!.toUpperCase()}${kind.slice(1)} assembly (acta no. ${n}) of ${date}${date.endsWith('.') ? '' : '.'} The administration sends every unit the summary of the decisions taken (Ley 284 of 2022, art. 71).`,
    kind: { ordinary: 'ordinary', extraordinary: 'extraordinary' },
    outcome: { approved: 'Approved', rejected: 'Rejected', tie: 'Tie (not approved)', no_votes: 'No votes' },
    notVoted: 'Not put to the vote',
    abstained: 'Abstentions',
    units: (n: number) => (n === 1 ? '1 unit' : `${n} units`),
    withheld: 'coefficient withheld',
    secret: 'Secret ballot: figures rounded so as not to reveal voters.',
    none: 'No motion was put to the vote.',
    salutation: (name: string) => `Dear ${name},`,
  },
} as const

export type SummaryLanguage = keyof typeof WORDS

export const summaryLanguage = (language: string): SummaryLanguage => (language === 'en' ? 'en' : 'es')

/** Each motion's outcome and count, as the summary shows it. */
export function summaryDecisions(model: ActaModel, language: SummaryLanguage): SummaryDecision[] {
  const w = WORDS[language]
  return model.proposals.map((proposal) => decisionOf(proposal, w))
}

function decisionOf(proposal: ActaProposal, w: (typeof WORDS)[SummaryLanguage]): SummaryDecision {
  const result = proposal.result
  if (!result)
    return { title: proposal.title, outcome: w.notVoted, secret: proposal.secret, counts: [], note: null }
  const shown = publishResult(result, { exact: false })
  const labelOf = (key: string) => result.totals.motion.options.find((o) => o.key === key)?.label ?? key
  const percent = (value: string | null) =>
    value === null ? null : shown.protected ? value : formatCoefficient(parseCoefficient(value), 2)
  const counts = shown.totals.tally.options.map((row) => ({
    label: labelOf(row.key),
    units: row.units,
    percent: percent(row.coefficient),
  }))
  const abstained = shown.totals.tally.abstained
  if (abstained.units > 0)
    counts.push({ label: w.abstained, units: abstained.units, percent: percent(abstained.coefficient) })
  return {
    title: proposal.title,
    outcome: w.outcome[result.outcome],
    secret: proposal.secret,
    counts,
    note: shown.protected ? w.secret : null,
  }
}

const countText = (count: SummaryCount, w: (typeof WORDS)[SummaryLanguage]) =>
  `${count.label}: ${w.units(count.units)}${count.percent === null ? ` (${w.withheld})` : `, ${count.percent} %`}`

/** The summary as subject, plain text, HTML and a chat text, in the PH's language. */
export function summaryContent(model: ActaModel, language: SummaryLanguage) {
  const w = WORDS[language]
  const date = formatDateTime(
    model.meeting.firstCallAt,
    localeFor(language, model.ph.locale),
    model.ph.timeZone,
  )
  const subject = `${w.subject}: ${model.meeting.title} (${model.ph.name})`
  const intro = w.intro(w.kind[model.acta.kind], model.acta.number, date)
  const decisions = summaryDecisions(model, language)
  const lines = [intro]
  if (decisions.length === 0) lines.push(w.none)
  for (const [index, decision] of decisions.entries()) {
    lines.push(`${index + 1}. ${decision.title}: ${decision.outcome}`)
    for (const count of decision.counts) lines.push(`   ${countText(count, w)}`)
    if (decision.note) lines.push(`   ${decision.note}`)
  }
  const items = decisions
    .map(
      (
        decision,
        index,
      ) => `<li style="margin-bottom:12px"><strong>${index + 1}. ${escapeHtml(decision.title)}</strong>
<span style="display:inline-block;margin-left:6px;padding:0 8px;border-radius:10px;background:${decision.outcome === w.outcome.approved ? '#dafbe1;color:#116329' : '#ffebe9;color:#a40e26'}">${escapeHtml(decision.outcome)}</span>
${decision.counts.length > 0 ? `<ul style="margin:4px 0 0;padding-left:20px">${decision.counts.map((count) => `<li>${escapeHtml(countText(count, w))}</li>`).join('')}</ul>` : ''}
${decision.note ? `<p style="margin:4px 0 0;font-size:14px;color:#57606a">${escapeHtml(decision.note)}</p>` : ''}</li>`,
    )
    .join('\n')
  const body = `<p>${escapeHtml(intro)}</p>\n${decisions.length === 0 ? `<p>${escapeHtml(w.none)}</p>` : `<ol style="list-style:none;padding:0">${items}</ol>`}`
  return {
    subject,
    text: lines.join('\n'),
    html: emailLayout({
      organizationName: model.ph.name,
      title: `${w.subject} — ${model.meeting.title}`,
      body,
    }),
    decisions,
    salutation: w.salutation,
    chatText: `${model.ph.name} — ${w.subject}: ${model.meeting.title}\n\n${lines.join('\n')}`,
  }
}

/** The last moment the summary may reach the units: three calendar days after the close. */
export function summaryDeadline(closedAt: Date): Date {
  return new Date(closedAt.getTime() + SUMMARY_DEADLINE_DAYS * 86_400_000)
}
