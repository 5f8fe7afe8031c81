import { h } from './dom.ts'

const clamp = (value: number) => Math.max(0, Math.min(100, Number.isFinite(value) ? value : 0))

/**
 * A horizontal bar with its numbers printed beside it (the bar itself is decoration: hidden from
 * screen readers, which read the text). `mark` draws a dashed threshold line.
 */
export function meter(input: {
  label: string
  valueText: string
  percent: number
  mark?: number | null
  markText?: string
}): HTMLElement {
  const fill = h('div', { class: 'meter-fill' })
  fill.style.setProperty('width', `${clamp(input.percent)}%`)
  const track = h('div', { class: 'meter-track', 'aria-hidden': 'true' }, fill)
  if (input.mark !== null && input.mark !== undefined) {
    const mark = h('div', { class: 'meter-mark' })
    mark.style.setProperty('left', `${clamp(input.mark)}%`)
    track.appendChild(mark)
  }
  return h(
    'div',
    { class: 'meter' },
    h(
      'div',
      { class: 'meter-label' },
      h('span', null, input.label),
      h(
        'span',
        null,
        input.valueText,
        // The threshold is a note beside the figure: the projector prints it smaller.
        input.markText ? h('span', { class: 'meter-mark-text' }, ` (${input.markText})`) : '',
      ),
    ),
    track,
  )
}
