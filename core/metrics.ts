/**
 * A small Prometheus registry (text exposition format 0.0.4): counters, gauges and histograms with
 * labels. Each process serves its own at GET /metrics, which nginx does not expose to the public.
 */

type Labels = Record<string, string | number>

const escapeLabel = (value: string | number) =>
  String(value).replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')

function labelText(labels: Labels): string {
  const entries = Object.entries(labels)
  if (entries.length === 0) return ''
  return `{${entries.map(([key, value]) => `${key}="${escapeLabel(value)}"`).join(',')}}`
}

const keyOf = (labels: Labels) => JSON.stringify(Object.entries(labels).sort())

interface Metric {
  render(): string[]
}

export function createRegistry() {
  const metrics: Metric[] = []

  function counter(name: string, help: string) {
    const values = new Map<string, { labels: Labels; value: number }>()
    metrics.push({
      render: () => [
        `# HELP ${name} ${help}`,
        `# TYPE ${name} counter`,
        ...[...values.values()].map((entry) => `${name}${labelText(entry.labels)} ${entry.value}`),
      ],
    })
    return {
      inc(labels: Labels = {}, by = 1) {
        const key = keyOf(labels)
        const entry = values.get(key) ?? { labels, value: 0 }
        entry.value += by
        values.set(key, entry)
      },
    }
  }

  /** A gauge read when scraped (e.g. open connections, queue length). */
  function gauge(name: string, help: string, read: () => number | Promise<number>) {
    let last = 0
    metrics.push({
      render: () => [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${last}`],
    })
    return {
      async refresh() {
        last = await read()
      },
    }
  }

  function histogram(name: string, help: string, buckets: number[]) {
    const series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>()
    metrics.push({
      render: () => {
        const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`]
        for (const entry of series.values()) {
          let cumulative = 0
          buckets.forEach((bound, i) => {
            cumulative += entry.counts[i]!
            lines.push(`${name}_bucket${labelText({ ...entry.labels, le: bound })} ${cumulative}`)
          })
          lines.push(`${name}_bucket${labelText({ ...entry.labels, le: '+Inf' })} ${entry.count}`)
          lines.push(`${name}_sum${labelText(entry.labels)} ${entry.sum}`)
          lines.push(`${name}_count${labelText(entry.labels)} ${entry.count}`)
        }
        return lines
      },
    })
    return {
      observe(value: number, labels: Labels = {}) {
        const key = keyOf(labels)
        let entry = series.get(key)
        if (!entry) {
          entry = { labels, counts: buckets.map(() => 0), sum: 0, count: 0 }
          series.set(key, entry)
        }
        const index = buckets.findIndex((bound) => value <= bound)
        if (index !== -1) entry.counts[index]! += 1
        entry.sum += value
        entry.count += 1
      },
    }
  }

  const gauges: { refresh(): Promise<void> }[] = []
  return {
    counter,
    histogram,
    gauge(name: string, help: string, read: () => number | Promise<number>) {
      const created = gauge(name, help, read)
      gauges.push(created)
      return created
    },
    /** The exposition text, after refreshing every gauge. */
    async render(): Promise<string> {
      await Promise.all(gauges.map((g) => g.refresh().catch(() => {})))
      return `${metrics.flatMap((metric) => metric.render()).join('\n')}\n`
    },
  }
}

export type Registry = ReturnType<typeof createRegistry>

/** Latency buckets in seconds, from 1 ms to 5 s. */
export const LATENCY_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
