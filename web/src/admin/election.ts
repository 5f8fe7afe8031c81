import { type Child, h } from '../lib/dom.ts'
import { electionNames, joinNames } from '../lib/format.ts'
import { textArea, textField } from '../lib/forms.ts'
import { t } from './context.ts'
import type { MotionResult } from './types.ts'

/*
 * Elections in the admin console (e.g. the Junta Directiva): the form's seats and candidates, and who
 * is elected or ties in a closed election's result.
 */

/** The most seats an election fills (core/motions/definition.ts). */
const MAX_SEATS = 50

/** The fields of an election: seats and one candidate per line. */
export function electionFields(): HTMLElement[] {
  return [
    textField({
      name: 'seats',
      label: t('electionSeats'),
      hint: t('electionSeatsHint'),
      type: 'number',
      value: '3',
      required: true,
      props: { min: '1', max: String(MAX_SEATS), step: '1', inputmode: 'numeric', class: 'narrow' },
    }),
    textArea({
      name: 'candidates',
      label: t('electionCandidates'),
      hint: t('electionCandidatesHint'),
      props: { rows: 6 },
    }),
  ]
}

/** The motion fields an election sends: its seats, candidates as choice options, multiple choice. */
export function electionBody(data: FormData) {
  const candidates = String(data.get('candidates') ?? '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((label, index) => ({ key: `candidate-${index + 1}`, label, kind: 'choice' }))
  return { seats: Number(data.get('seats')), options: candidates, choiceMode: 'multiple' }
}

/** An election's outcome in a motion's result (`totals.election`). */
export type ElectionResult = NonNullable<MotionResult['totals']['election']>

/** "Electos/as: …" and, when the last seat is tied, who ties. */
export function electionOutcome(election: ElectionResult, label: (key: string) => string): Child[] {
  const { elected, tied } = electionNames(election.candidates, label)
  const and = (list: string[]) => joinNames(list, t('and'))
  return [
    h(
      'p',
      null,
      h('strong', null, elected.length > 0 ? t('electedList', { names: and(elected) }) : t('noneElected')),
    ),
    tied.length > 0 ? h('p', { class: 'notice notice-info' }, t('tieList', { names: and(tied) })) : null,
    h('p', null, t('electionRule', { seats: String(election.seats) })),
  ]
}

/** A candidate's row label with its outcome: "Ana — Electo/a", "Beto — Empate". */
export function candidateLabel(election: ElectionResult | undefined, key: string, name: string): string {
  const elected = election?.candidates.find((c) => c.key === key)?.elected
  if (elected === true) return `${name} — ${t('elected')}`
  if (elected === 'tie') return `${name} — ${t('tie')}`
  return name
}
