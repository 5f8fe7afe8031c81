/**
 * Tally-screen viewers for the fan-out measurement, in their own process:
 * `bun ops/bench/viewers.ts <spec.json>`.
 *
 * Opens `count` WebSockets to the realtime process with a signed screen link (`?screen=`), waits until
 * every one has its snapshot, prints `READY <n>` on stdout, then records every delta: latency =
 * receive time − `delta.at` (the server's clock when it published; same machine, same clock). On a line
 * `stop` on stdin it closes the sockets and writes the result to `spec.out`, then prints `DONE`.
 *
 * The receive handler does as little as possible (it reads `seq` and `at` from the start of the
 * message text instead of parsing the whole JSON) so that the measurement is of the server's fan-out
 * and not of this process's own work; on 2 cores this process still competes with the server.
 */
import { Samples, summarize } from './lib.ts'

export interface ViewersSpec {
  url: string
  screenToken: string
  count: number
  /** Sockets connecting at once. */
  concurrency: number
  out: string
}

export interface ViewersResult {
  viewers: number
  connectMs: number
  samples: number
  /** Over every (viewer, delta): receive − at, ms. */
  latency: ReturnType<typeof summarize>
  /** Per delta (tick): the latency of the last viewer to receive it. */
  lastViewer: ReturnType<typeof summarize>
  /** Per delta (tick): the latency of the first viewer to receive it. */
  firstViewer: ReturnType<typeof summarize>
  ticks: number
  /** Deltas that did not reach every viewer. */
  incompleteTicks: number
  snapshotsAfterReady: number
  gaps: number
  closed: number
  errors: number
  /** Messages other than deltas, by type (hello, snapshot, error…). */
  messageTypes: Record<string, number>
  /** Deltas received at any time (also before every viewer was connected). */
  deltasTotal: number
}

const spec = JSON.parse(await Bun.file(process.argv[2]!).text()) as ViewersSpec
const latencies = new Samples()
const perTick = new Map<number, { min: number; max: number; count: number }>()
let ready = false
let snapshotsAfterReady = 0
let gaps = 0
let closed = 0
let errors = 0
let deltasTotal = 0
const lastSeq = new Int32Array(spec.count)
const sockets: WebSocket[] = []

const SEQ = /"seq":(\d+),"at":(\d+)/

const messageTypes: Record<string, number> = {}

function onMessage(index: number, data: string): void {
  // Wall clock with sub-millisecond resolution (the server's `at` is Date.now() on the same machine).
  const now = performance.timeOrigin + performance.now()
  if (data.charCodeAt(9) === 100 /* d */ && data.startsWith('{"type":"delta"')) {
    const match = SEQ.exec(data.slice(0, 200))
    if (!match) return
    const seq = Number(match[1])
    const latency = now - Number(match[2])
    if (lastSeq[index] !== 0 && seq !== lastSeq[index]! + 1) gaps += 1
    lastSeq[index] = seq
    deltasTotal += 1
    if (!ready) return
    latencies.push(latency)
    const tick = perTick.get(seq)
    if (tick) {
      tick.count += 1
      if (latency > tick.max) tick.max = latency
      if (latency < tick.min) tick.min = latency
    } else perTick.set(seq, { min: latency, max: latency, count: 1 })
    return
  }
  const type = /^\{"type":"([^"]+)"/.exec(data)?.[1] ?? 'unknown'
  messageTypes[type] = (messageTypes[type] ?? 0) + 1
  if (data.startsWith('{"type":"snapshot"')) {
    const match = /"seq":(\d+)/.exec(data.slice(0, 200))
    if (match) lastSeq[index] = Number(match[1])
    if (ready) snapshotsAfterReady += 1
    else pendingSnapshots.get(index)?.()
  }
}

const pendingSnapshots = new Map<number, () => void>()

function open(index: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${spec.url}?screen=${encodeURIComponent(spec.screenToken)}`)
    sockets[index] = ws
    const timeout = setTimeout(() => reject(new Error(`viewer ${index}: no snapshot within 20 s`)), 20_000)
    pendingSnapshots.set(index, () => {
      clearTimeout(timeout)
      pendingSnapshots.delete(index)
      resolve()
    })
    ws.onmessage = (event) => onMessage(index, event.data as string)
    ws.onerror = () => {
      errors += 1
    }
    ws.onclose = () => {
      closed += 1
      if (pendingSnapshots.has(index)) {
        clearTimeout(timeout)
        reject(new Error(`viewer ${index} closed before its snapshot`))
      }
    }
  })
}

const started = performance.now()
let nextIndex = 0
await Promise.all(
  Array.from({ length: Math.min(spec.concurrency, spec.count) }, async () => {
    while (nextIndex < spec.count) {
      const index = nextIndex++
      await open(index)
    }
  }),
)
const connectMs = performance.now() - started
ready = true
console.log(`READY ${spec.count} ${Math.round(connectMs)}`)

for await (const line of console) {
  if (line.trim() === 'stop') break
}
ready = false
const closedBefore = closed
for (const ws of sockets) ws.close(1000)
const ticks = [...perTick.values()]
const result: ViewersResult = {
  viewers: spec.count,
  connectMs: Math.round(connectMs),
  samples: latencies.length,
  latency: summarize(latencies.view()),
  lastViewer: summarize(ticks.map((tick) => tick.max)),
  firstViewer: summarize(ticks.map((tick) => tick.min)),
  ticks: ticks.length,
  incompleteTicks: ticks.filter((tick) => tick.count < spec.count).length,
  snapshotsAfterReady,
  gaps,
  closed: closedBefore,
  errors,
  messageTypes,
  deltasTotal,
}
await Bun.write(spec.out, JSON.stringify(result))
console.log('DONE')
process.exit(0)
