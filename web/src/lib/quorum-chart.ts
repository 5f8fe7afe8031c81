import { h, svg } from './dom.ts'
import { formatPercent, formatTime } from './format.ts'

/** One point: [seconds since the epoch, percent present]. */
export type TrendPoint = [number, number]

const WIDTH = 600
const HEIGHT = 200

/**
 * The quorum over time as an inline SVG line (0–100 % high), with the threshold as a dashed line and
 * the start and latest times under it. The words are HTML beside the drawing so they keep their size
 * whatever the chart's width. `nowSeconds` stretches the line to the present (it stays flat since the
 * last change).
 */
export function quorumChart(input: {
  points: readonly TrendPoint[]
  threshold: number | null
  nowSeconds: number
  label: string
  thresholdLabel?: string
}): HTMLElement {
  const { points, threshold } = input
  const first = points[0]
  const last = points.at(-1)
  const start = first?.[0] ?? input.nowSeconds
  const end = Math.max(input.nowSeconds, last?.[0] ?? start, start + 60)
  const x = (at: number) => ((at - start) / (end - start)) * WIDTH
  const y = (percent: number) => HEIGHT - (Math.max(0, Math.min(100, percent)) / 100) * HEIGHT
  // A step line: the share present holds until the next change.
  const steps: string[] = []
  points.forEach(([at, percent], index) => {
    if (index > 0) steps.push(`${x(at).toFixed(1)},${y(points[index - 1]![1]).toFixed(1)}`)
    steps.push(`${x(at).toFixed(1)},${y(percent).toFixed(1)}`)
  })
  if (last) steps.push(`${WIDTH},${y(last[1]).toFixed(1)}`)
  const drawing = svg(
    'svg',
    {
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      preserveAspectRatio: 'none',
      class: 'quorum-chart-svg',
      'aria-hidden': 'true',
    },
    [25, 50, 75].map((percent) =>
      svg('line', { x1: 0, x2: WIDTH, y1: y(percent), y2: y(percent), class: 'chart-grid' }),
    ),
    threshold === null
      ? null
      : svg('line', { x1: 0, x2: WIDTH, y1: y(threshold), y2: y(threshold), class: 'chart-threshold' }),
    steps.length > 0 ? svg('polyline', { points: steps.join(' '), class: 'chart-line' }) : null,
  )
  return h(
    'figure',
    { class: 'quorum-chart' },
    h('div', { class: 'chart-area' }, drawing),
    h(
      'figcaption',
      { class: 'chart-caption' },
      h('span', null, formatTime(new Date(start * 1000))),
      h(
        'span',
        { class: 'chart-legend' },
        h('span', { class: 'legend-line' }, input.label),
        input.thresholdLabel ? h('span', { class: 'legend-threshold' }, input.thresholdLabel) : null,
      ),
      h('span', null, formatTime(new Date(end * 1000))),
    ),
    // Screen readers get the figures, not the drawing.
    h('p', { class: 'visually-hidden' }, last ? `${input.label}: ${formatPercent(last[1])}` : input.label),
  )
}
