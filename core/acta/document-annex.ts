import { optionLabel, tallyTotalRows } from './document-proposals.ts'
import type { ActaBlock, ActaContext, ActaSection } from './document-types.ts'
import { formatPercent } from './i18n.ts'

/*
 * The annex at the end: every percentage the body rounds to two decimals, with all its decimals, so a
 * reader can check a close call. Secret motions keep only what the body shows (rounded or withheld).
 */
export function annexSection({ model, t, time }: ActaContext): ActaSection {
  const c = t.columns
  const blocks: ActaBlock[] = [{ type: 'paragraph', text: t.annexIntro }]
  const coefficients = model.attendees.filter((a) => a.coefficient !== null)
  if (model.amendsBylaws && coefficients.length > 0) {
    blocks.push({ type: 'subheading', text: t.sections.attendees })
    blocks.push({
      type: 'table',
      columns: [
        { label: c.unit, width: 1 },
        { label: c.coefficient, numeric: true, width: 2 },
      ],
      rows: coefficients.map((a) => [a.unitNumber, formatPercent(a.coefficient ?? '0')]),
    })
  }
  if (model.quorum.log.length > 0) {
    blocks.push({ type: 'subheading', text: t.annexQuorum })
    blocks.push({
      type: 'table',
      columns: [
        { label: c.time, width: 1 },
        { label: c.presentCoefficient, numeric: true, width: 2 },
        { label: c.totalCoefficient, numeric: true, width: 2 },
      ],
      rows: model.quorum.log.map((entry) => [
        time(entry.at),
        formatPercent(entry.presentCoefficient),
        formatPercent(entry.totalCoefficient),
      ]),
    })
  }
  model.proposals.forEach((proposal, index) => {
    const result = proposal.result
    if (!result) return
    blocks.push({ type: 'subheading', text: `6.${index + 1}. ${proposal.title}` })
    if (proposal.secret) {
      blocks.push({ type: 'paragraph', text: t.annexSecret })
      return
    }
    const { tally, majority } = result.totals
    const share =
      majority.base === 'units'
        ? `${majority.numerator} / ${majority.denominator} ${t.majority.units}`
        : `${formatPercent(majority.numerator)} % / ${formatPercent(majority.denominator)} %`
    blocks.push({
      type: 'fields',
      fields: [[t.annexMajority, `${share} = ${formatPercent(majority.percent)} %`]],
    })
    blocks.push({
      type: 'table',
      columns: [
        { label: c.option, width: 3 },
        { label: c.units, numeric: true, width: 1 },
        { label: c.coefficient, numeric: true, width: 2 },
      ],
      rows: [
        ...tally.options.map((row) => [
          optionLabel(proposal, row.key),
          String(row.units),
          formatPercent(row.coefficient),
        ]),
        ...tallyTotalRows(t, tally, formatPercent),
      ],
    })
  })
  return { heading: t.sections.annex, blocks }
}
