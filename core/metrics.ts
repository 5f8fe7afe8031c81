/**
 * The one metrics module of the three processes (functions, realtime, bots): a small Prometheus
 * registry (text exposition format 0.0.4) with counters, gauges and histograms, every one with its
 * HELP and TYPE lines, plus the process metrics (resident memory, heap, CPU, start time) that
 * `createProcessRegistry` adds. Each process serves its own at GET /metrics (`metricsResponse`),
 * which nginx does not expose to the public. Names and types are the contract of the Grafana
 * dashboard (ops/metrics/grafana), checked against live processes by ops/metrics/metrics.test.ts.
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

  /**
   * A value read when scraped: a gauge (open connections, queue length) or a counter kept elsewhere
   * (a module's running total), typed as what it is.
   */
  function collected(
    type: 'gauge' | 'counter',
    name: string,
    help: string,
    read: () => number | Promise<number>,
  ) {
    let last = 0
    metrics.push({
      render: () => [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name} ${last}`],
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
  const names = new Set<string>()
  const unique = (name: string) => {
    if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`invalid metric name "${name}"`)
    if (names.has(name)) throw new Error(`metric "${name}" is registered twice`)
    names.add(name)
    return name
  }
  // A counter or histogram asked for twice (two apps on one process's registry) is the same series.
  const shared = new Map<string, { kind: string; metric: unknown }>()
  function once<T>(kind: string, name: string, create: () => T): T {
    const existing = shared.get(name)
    if (existing) {
      if (existing.kind !== kind) throw new Error(`metric "${name}" is registered twice`)
      return existing.metric as T
    }
    const metric = create()
    shared.set(name, { kind, metric })
    return metric
  }
  return {
    counter: (name: string, help: string) => {
      if (!name.endsWith('_total')) throw new Error(`counter "${name}" must end in _total`)
      return once('counter', name, () => counter(unique(name), help))
    },
    histogram: (name: string, help: string, buckets: number[]) =>
      once('histogram', name, () => histogram(unique(name), help, buckets)),
    /** A gauge read when scraped (e.g. open connections, queue length). */
    gauge(name: string, help: string, read: () => number | Promise<number>) {
      const created = collected('gauge', unique(name), help, read)
      gauges.push(created)
      return created
    },
    /** A counter whose running total another module keeps (e.g. the writer's committed entries). */
    counterFrom(name: string, help: string, read: () => number | Promise<number>) {
      if (!name.endsWith('_total')) throw new Error(`counter "${name}" must end in _total`)
      const created = collected('counter', unique(name), help, read)
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

/** Batch sizes of the vote writer, from a single ballot to a full batch. */
export const BATCH_SIZE_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000]

/**
 * A registry with the standard process metrics every process exports (the names Prometheus client
 * libraries use): resident memory, heap, CPU seconds, start time, and `process_info{process}`.
 */
export function createProcessRegistry(processName: 'functions' | 'realtime' | 'bots'): Registry {
  const registry = createRegistry()
  const startedAt = Date.now() / 1000 - process.uptime()
  registry.gauge('process_info', `Always 1; the process is ${processName}`, () => 1)
  registry.gauge('process_resident_memory_bytes', 'Resident memory size in bytes', () =>
    process.memoryUsage.rss(),
  )
  registry.gauge(
    'process_heap_bytes',
    'JavaScript heap in use, in bytes',
    () => process.memoryUsage().heapUsed,
  )
  registry.counterFrom('process_cpu_seconds_total', 'User and system CPU time spent, in seconds', () => {
    const usage = process.cpuUsage()
    return (usage.user + usage.system) / 1e6
  })
  registry.gauge(
    'process_start_time_seconds',
    'Start time of the process since the Unix epoch, in seconds',
    () => Math.round(startedAt),
  )
  return registry
}

/** GET /metrics: the exposition text with its content type. */
export async function metricsResponse(registry: Registry): Promise<Response> {
  return new Response(await registry.render(), {
    headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
  })
}
