/**
 * The Grafana dashboard against live processes: `bun ops/start.ts` runs functions, realtime and bots
 * (on the shared PostgreSQL and Redis when DATABASE_URL/REDIS_URL are set, else embedded), and every
 * metric a dashboard query names must be exported by the /metrics of the job the query selects
 * (Prometheus's job names: functions, realtime, bots), with HELP and TYPE lines and the right type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createScratchDatabases, databaseUrlFor, readUntil, repoRoot, stopProcess } from '../testing.ts'

type Job = 'functions' | 'realtime' | 'bots'
const JOBS: Job[] = ['functions', 'realtime', 'bots']

interface Family {
  type: string
  help: boolean
  samples: { name: string; value: number }[]
}

/** Parses the exposition text; fails on a sample whose family has no HELP or TYPE line. */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>()
  const family = (name: string) => {
    let entry = families.get(name)
    if (!entry) {
      entry = { type: '', help: false, samples: [] }
      families.set(name, entry)
    }
    return entry
  }
  for (const line of text.split('\n')) {
    if (line === '') continue
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) (.+)$/.exec(line)
    if (meta) {
      const entry = family(meta[2]!)
      if (meta[1] === 'HELP') entry.help = true
      else {
        if (entry.type) throw new Error(`two TYPE lines for ${meta[2]}`)
        entry.type = meta[3]!
      }
      continue
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)$/.exec(line)
    if (!sample) throw new Error(`not an exposition line: ${line}`)
    const name = sample[1]!
    const base = name.replace(/_(bucket|sum|count)$/, '')
    const owner = families.get(name)?.type ? name : families.get(base)?.type === 'histogram' ? base : null
    if (!owner) throw new Error(`sample ${name} has no TYPE line before it`)
    family(owner).samples.push({ name, value: Number(sample[3]) })
  }
  return families
}

/** The metric names a PromQL expression reads, each with the jobs its `job` matcher selects. */
export function metricsOfQuery(expr: string): { metric: string; jobs: Job[] | null }[] {
  const found: { metric: string; jobs: Job[] | null }[] = []
  const pattern = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?\s*(\[[^\]]*\])?/g
  const withoutGrouping = expr.replace(/\b(by|without)\s*\([^)]*\)/g, '')
  for (const match of withoutGrouping.matchAll(pattern)) {
    const [whole, name, selector] = match
    const after = withoutGrouping.slice(match.index! + whole.length)
    if (/^\s*\(/.test(after) || /^\d/.test(name!)) continue // a function call, a number
    if (!selector && !match[3] && !/^\s*($|\))/.test(after)) continue
    const jobMatcher = /job\s*(=~?)\s*"([^"]*)"/.exec(selector ?? '')
    const jobs = jobMatcher
      ? JOBS.filter((job) =>
          jobMatcher[1] === '=' ? job === jobMatcher[2] : new RegExp(`^(?:${jobMatcher[2]})$`).test(job),
        )
      : null
    found.push({ metric: name!, jobs })
  }
  return found
}

const dashboard = JSON.parse(
  readFileSync(join(repoRoot, 'ops/metrics/grafana/dashboards/assembly-overview.json'), 'utf8'),
) as { panels: { title: string; targets?: { expr: string }[] }[] }
const prometheus = readFileSync(join(repoRoot, 'ops/metrics/prometheus.yml'), 'utf8')

const dataDir = mkdtempSync(join(tmpdir(), 'assembly-metrics-'))
const databases = createScratchDatabases('metrics')
let child: Bun.Subprocess<'ignore', 'pipe', 'inherit'> | null = null
const exposition = new Map<Job, Map<string, Family>>()

beforeAll(async () => {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/root',
    DATA_DIR: dataDir,
    FUNCTIONS_PORT: '0',
    REALTIME_PORT: '0',
    BOTS_PORT: '0',
    LOG_LEVEL: 'warn',
  }
  if (process.env.DATABASE_URL) env.DATABASE_URL = databaseUrlFor(await databases.create())
  if (process.env.REDIS_URL) env.REDIS_URL = process.env.REDIS_URL
  child = Bun.spawn(['bun', 'ops/start.ts'], {
    cwd: repoRoot,
    env,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'inherit',
  })
  const [, functions, bots, realtime] = await readUntil(
    child.stdout,
    /API\s+(http:\/\/\S+)\/api\n[\s\S]*Bots\s+(http:\/\/\S+)\/api\/health\n\s+Realtime\s+ws:\/\/(\S+)\/ws\n/,
    60_000,
  )
  const bases: Record<Job, string> = { functions: functions!, realtime: `http://${realtime}`, bots: bots! }
  // One request first, so the HTTP counters have a series.
  await fetch(`${bases.functions}/api/health`)
  for (const job of JOBS) {
    const response = await fetch(`${bases[job]}/metrics`)
    expect(response.headers.get('content-type')).toStartWith('text/plain; version=0.0.4')
    exposition.set(job, parseExposition(await response.text()))
  }
}, 90_000)

afterAll(async () => {
  if (child) await stopProcess(child)
  await databases.dropAll()
  rmSync(dataDir, { recursive: true, force: true })
}, 30_000)

describe('the Grafana dashboard against live /metrics', () => {
  it('Prometheus scrapes the three jobs the dashboard names', () => {
    for (const job of JOBS) expect(prometheus).toContain(`job_name: ${job}`)
  })

  const queries = dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).map((target) => [panel.title, target.expr] as const),
  )

  it.each(queries)('%s: every metric of `%s` is exported where it is queried', (_title, expr) => {
    const metrics = metricsOfQuery(expr).filter(({ metric }) => metric !== 'up') // Prometheus's own
    if (expr.trim() !== 'up') expect(metrics.length).toBeGreaterThan(0)
    for (const { metric, jobs } of metrics) {
      const family = metric.replace(/_(bucket|sum|count)$/, '')
      const exporting = JOBS.filter((job) => {
        const found = exposition.get(job)!.get(metric) ?? exposition.get(job)!.get(family)
        return (
          found !== undefined && (found === exposition.get(job)!.get(metric) || found.type === 'histogram')
        )
      })
      // A query without a job matcher must still find the metric somewhere; with one, in every job it selects.
      if (jobs === null)
        expect({ metric, exporting: exporting.length > 0 }).toEqual({ metric, exporting: true })
      else
        expect({ metric, exporting: jobs.filter((job) => exporting.includes(job)) }).toEqual({
          metric,
          exporting: jobs,
        })
    }
  })
})

describe('every process exports well-formed, correctly typed metrics', () => {
  it.each(JOBS)('%s: HELP and TYPE for every family, counters end in _total', (job) => {
    const families = exposition.get(job)!
    expect(families.size).toBeGreaterThan(5)
    for (const [name, family] of families) {
      expect({ name, help: family.help, typed: family.type !== '' }).toEqual({
        name,
        help: true,
        typed: true,
      })
      if (family.type === 'counter') expect(name).toEndWith('_total')
      if (name.endsWith('_total')) expect({ name, type: family.type }).toEqual({ name, type: 'counter' })
    }
  })

  it.each(JOBS)('%s: exports its resident memory and CPU time', (job) => {
    const families = exposition.get(job)!
    const rss = families.get('process_resident_memory_bytes')
    expect(rss?.type).toBe('gauge')
    expect(rss?.samples[0]?.value).toBeGreaterThan(10 * 1024 * 1024)
    expect(families.get('process_cpu_seconds_total')?.type).toBe('counter')
  })

  it('realtime types its counters as counters and its writer metrics as the dashboard reads them', () => {
    const realtime = exposition.get('realtime')!
    expect(realtime.get('ws_dropped_sends_total')?.type).toBe('counter')
    expect(realtime.get('votes_accepted_total')?.type).toBe('counter')
    expect(realtime.get('vote_writer_committed_total')?.type).toBe('counter')
    expect(realtime.get('vote_batch_size')?.type).toBe('histogram')
    expect(realtime.get('vote_writer_lag_seconds')?.type).toBe('gauge')
    expect(realtime.get('ws_connections')?.type).toBe('gauge')
  })
})
