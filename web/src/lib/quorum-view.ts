import { type Child, h } from './dom.ts'
import { formatInteger, formatPercent, thresholdPercent } from './format.ts'
import { tc } from './layout.ts'
import type { AssemblySnapshot } from './live.ts'
import { meter } from './meter.ts'

/** Reached or not, as a symbol and words. */
export function quorumBadge(reached: boolean): HTMLElement {
  return h(
    'span',
    { class: `badge ${reached ? 'badge-ok' : 'badge-bad'}` },
    h('span', { 'aria-hidden': 'true' }, reached ? '✓ ' : '✕ '),
    reached ? tc('quorumReached') : tc('quorumNotReached'),
  )
}

/** The live quorum as two gauges (coefficient and units) against the threshold of the current call. */
export function quorumGauges(quorum: AssemblySnapshot['quorum']): Child[] {
  const threshold = thresholdPercent(quorum.threshold)
  // The threshold line goes only on the gauges the rule measures (coefficient, units, or both).
  const markFor = (base: 'coefficient' | 'units' | 'owners') =>
    quorum.base === 'both' || quorum.base === base ? threshold : null
  const markText =
    threshold === null
      ? undefined
      : tc(quorum.threshold?.strict ? 'quorumMoreThan' : 'quorumMinimum', { value: formatPercent(threshold) })
  return [
    h('p', null, quorumBadge(quorum.reached)),
    h(
      'div',
      { class: 'quorum-gauges' },
      meter({
        label: tc('quorumByCoefficient'),
        valueText: formatPercent(quorum.byCoefficient.percent),
        percent: Number(quorum.byCoefficient.percent),
        mark: markFor('coefficient'),
        markText: markFor('coefficient') === null ? undefined : markText,
      }),
      meter({
        label: tc('quorumByUnits'),
        valueText: tc('quorumUnits', {
          present: formatInteger(quorum.byUnits.present),
          total: formatInteger(quorum.byUnits.total),
        }),
        percent: Number(quorum.byUnits.percent),
        mark: markFor('units'),
        markText: markFor('units') === null ? undefined : markText,
      }),
      // Owners count as heads: one per owner however many units, co-owners of a unit as one.
      meter({
        label: tc('quorumByOwners'),
        valueText: tc('quorumOwners', {
          present: formatInteger(quorum.byOwners.present),
          total: formatInteger(quorum.byOwners.total),
        }),
        percent: Number(quorum.byOwners.percent),
        mark: markFor('owners'),
        markText: markFor('owners') === null ? undefined : markText,
      }),
    ),
    h(
      'p',
      { class: 'subtitle muted' },
      tc('quorumDenominators', {
        all: formatInteger(quorum.allUnits),
        entitled: formatInteger(quorum.byUnits.total),
        arrears: formatInteger(quorum.unitsInArrears),
      }),
      quorum.eligibleOnly && quorum.unitsInArrears > 0 ? `. ${tc('quorumArrearsNoVote')}` : '',
    ),
    h(
      'p',
      { class: 'subtitle muted' },
      tc('quorumAttending', {
        inPerson: formatInteger(quorum.inPerson),
        remote: formatInteger(quorum.remote),
      }),
    ),
  ]
}
