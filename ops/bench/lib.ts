import { childPidsOf } from '../testing.ts'
/**
 * Small helpers shared by the benchmark's processes (orchestrator, load tool, viewers, servers).
 * Nothing here touches the database or Redis.
 */

/** Percentile (0..100) of a numeric sample by nearest rank on a sorted copy; 0 for an empty sample. */
export function percentile(values: ArrayLike<number>, p: number): number {
  if (values.length === 0) return 0
  const sorted = Float64Array.from(values as ArrayLike<number>).sort()
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

export interface LatencySummary {
  count: number
  p50: number
  p90: number
  p99: number
  max: number
}

export function summarize(values: ArrayLike<number>): LatencySummary {
  if (values.length === 0) return { count: 0, p50: 0, p90: 0, p99: 0, max: 0 }
  const sorted = Float64Array.from(values as ArrayLike<number>).sort()
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!
  return { count: sorted.length, p50: at(50), p90: at(90), p99: at(99), max: sorted[sorted.length - 1]! }
}

export const round = (value: number, digits = 1) => {
  const factor = 10 ** digits
  return Math.round(value * factor) / factor
}

/** A growable Float64 buffer: latencies are recorded at high rates without boxing numbers. */
export class Samples {
  private buffer = new Float64Array(1 << 16)
  length = 0
  push(value: number): void {
    if (this.length === this.buffer.length) {
      const next = new Float64Array(this.buffer.length * 2)
      next.set(this.buffer)
      this.buffer = next
    }
    this.buffer[this.length++] = value
  }
  view(): Float64Array {
    return this.buffer.subarray(0, this.length)
  }
}

/** Stream ids `<ms>-<n>` in numeric order (the vote sequence). */
export function compareStreamIds(a: string, b: string): number {
  const dashA = a.indexOf('-')
  const dashB = b.indexOf('-')
  const msA = Number(a.slice(0, dashA))
  const msB = Number(b.slice(0, dashB))
  if (msA !== msB) return msA < msB ? -1 : 1
  const nA = Number(a.slice(dashA + 1))
  const nB = Number(b.slice(dashB + 1))
  return nA === nB ? 0 : nA < nB ? -1 : 1
}

/** Keeps the newest sequence per key (`motionId:unitId`). */
export function keepNewest(into: Map<string, string>, key: string, sequence: string): void {
  const current = into.get(key)
  if (current === undefined || compareStreamIds(sequence, current) > 0) into.set(key, sequence)
}

/** A free TCP port on 127.0.0.1 (bound and released at once; the children bind it right after). */
export function freePort(): number {
  const listener = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const port = listener.port
  listener.stop(true)
  return port
}

/** Resident set size of a process in bytes, from /proc/<pid>/status (VmRSS). */
export async function rssOf(pid: number): Promise<number> {
  const status = await Bun.file(`/proc/${pid}/status`).text()
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
  if (!match) throw new Error(`no VmRSS for pid ${pid}`)
  let total = Number(match[1]) * 1024
  // A realtime process with REALTIME_PROCESSES > 1 serves through its sibling children too.
  for (const child of childPidsOf(pid)) total += await rssOf(child).catch(() => 0)
  return total
}

/** CPU ticks (10 ms) used so far by every process, with its command name, from /proc/<pid>/stat. */
export async function cpuByProcess(): Promise<
  Map<number, { comm: string; ticks: number; cmdline: string; parent: number }>
> {
  const out = new Map<number, { comm: string; ticks: number; cmdline: string; parent: number }>()
  const { readdirSync } = await import('node:fs')
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      const stat = await Bun.file(`/proc/${name}/stat`).text()
      const open = stat.indexOf('(')
      const close = stat.lastIndexOf(')')
      const fields = stat.slice(close + 2).split(' ')
      const comm = stat.slice(open + 1, close)
      // A PostgreSQL backend names its database in its command line ("postgres: user db host(port) …").
      const cmdline = comm === 'postgres' ? await Bun.file(`/proc/${name}/cmdline`).text() : ''
      out.set(Number(name), {
        comm,
        ticks: Number(fields[11]) + Number(fields[12]),
        cmdline,
        parent: Number(fields[1]),
      })
    } catch {
      // the process ended meanwhile
    }
  }
  return out
}
