/**
 * The benchmark's load generator, run as its own process so it competes for the CPU like an outside
 * client would (`bun ops/bench/load.ts <spec.json>`). Two modes:
 *
 * - `http`: K keep-alive HTTP/1.1 connections to 127.0.0.1, written on raw TCP sockets (Bun.connect)
 *   rather than `fetch`, so the tool spends as little CPU per request as possible and leaves the rest
 *   to the server under test. Closed loop (each connection sends its next request as soon as the
 *   previous response is complete) or paced (a total rate, for the durable-latency phase). Requests
 *   are pre-built byte strings cycled in order (different bearer tokens, units and motions).
 * - `ws`: votes over the realtime WebSocket: one socket per voter, vote messages pipelined (a window
 *   in flight per socket) and paced under the server's per-connection rate limit.
 *
 * Only responses completed inside the measured window (after the warm-up) count for the rate and the
 * latencies. After the window the tool stops sending and waits for what is in flight, so that every
 * vote the server accepted is known (its receipt is reported for the lost/duplicate check).
 * Writes its result as JSON to `spec.out`.
 */
import type { Socket } from 'bun'
import { keepNewest, Samples, summarize } from './lib.ts'

export interface HttpLoadSpec {
  mode: 'http'
  port: number
  connections: number
  warmupMs: number
  durationMs: number
  /** Paced mode: total requests per second across connections. Absent: closed loop. */
  rate?: number
  /** Stop sending after this many requests (e.g. one vote per distinct (motion, unit)). */
  maxRequests?: number
  /** JSON file holding an array of raw HTTP/1.1 requests. */
  requestsFile: string
  /** Parse 2xx bodies as vote responses and report the newest sequence per (motion, unit). */
  collectReceipts?: boolean
  out: string
}

export interface WsLoadSpec {
  mode: 'ws'
  /** ws://127.0.0.1:<port>/ws */
  url: string
  voters: { ticket: string; organizationId: string; unitId: string }[]
  motionIds: string[]
  /** Most vote messages in flight per socket. */
  window: number
  /** Most vote messages in flight over all sockets (the counterpart of the HTTP connection count). */
  maxInFlight: number
  /** Client-side token bucket kept below the server's limit (burst 20, 10/s per connection). */
  burst: number
  ratePerSecond: number
  warmupMs: number
  durationMs: number
  out: string
}

export interface LoadResult {
  mode: 'http' | 'ws'
  /** Requests (or vote messages) sent, in total. */
  sent: number
  /** 2xx responses (accepted votes) completed inside the measured window. */
  ok: number
  okPerSecond: number
  /** Every response inside the window, by HTTP status or refusal code. */
  statuses: Record<string, number>
  /** Latency of the responses inside the window, ms. */
  latency: ReturnType<typeof summarize>
  /** Accepted in total (warm-up and drain included). */
  okTotal: number
  errors: number
  unanswered: number
  /** [motionId:unitId, newest sequence] of every accepted vote (when collected). */
  receipts?: [string, string][]
  windowMs: number
  /** CPU time this load process used (user + system), ms. */
  cpuMs: number
}

const spec = JSON.parse(await Bun.file(process.argv[2]!).text()) as HttpLoadSpec | WsLoadSpec
const result = spec.mode === 'http' ? await runHttp(spec) : await runWs(spec)
await Bun.write(spec.out, JSON.stringify(result))
process.exit(0)

interface Conn {
  socket: Socket<Conn> | null
  busy: boolean
  sentAt: number
  buffer: Buffer | null
  pending: Uint8Array | null
}

async function runHttp(spec: HttpLoadSpec): Promise<LoadResult> {
  const requests = (JSON.parse(await Bun.file(spec.requestsFile).text()) as string[]).map((text) =>
    Buffer.from(text),
  )
  const latencies = new Samples()
  const statuses: Record<string, number> = {}
  const bodies: string[] = []
  let next = 0
  let sent = 0
  let ok = 0
  let okTotal = 0
  let errors = 0
  let sending = true
  let windowStart = Number.POSITIVE_INFINITY
  let windowEnd = Number.POSITIVE_INFINITY
  let startedAt = 0
  const maxRequests = spec.maxRequests ?? Number.POSITIVE_INFINITY
  const idle: Conn[] = []
  let settle: (() => void) | null = null
  let busyCount = 0
  /** Resolved once every one of maxRequests has been answered (a bounded phase ends there). */
  let allAnswered: (() => void) | null = null
  const answered = new Promise<void>((resolve) => (allAnswered = resolve))

  const allowance = () =>
    spec.rate === undefined ? Number.POSITIVE_INFINITY : ((performance.now() - startedAt) * spec.rate) / 1000

  function send(conn: Conn): boolean {
    if (!sending || sent >= maxRequests || sent >= allowance() || !conn.socket) return false
    const request = requests[next]!
    next = next + 1 === requests.length ? 0 : next + 1
    sent += 1
    conn.busy = true
    busyCount += 1
    conn.sentAt = performance.now()
    const written = conn.socket.write(request)
    if (written < request.length) conn.pending = request.subarray(Math.max(0, written))
    return true
  }

  function finish(conn: Conn, status: number, body: string | null): void {
    const now = performance.now()
    conn.busy = false
    busyCount -= 1
    const good = status >= 200 && status < 300
    if (good) okTotal += 1
    if (body !== null) bodies.push(body)
    if (now >= windowStart && now <= windowEnd) {
      latencies.push(now - conn.sentAt)
      statuses[status] = (statuses[status] ?? 0) + 1
      if (good) ok += 1
    }
    if (sent >= maxRequests && busyCount === 0) allAnswered?.()
    if (!send(conn)) {
      idle.push(conn)
      if (busyCount === 0) settle?.()
    }
  }

  /** Consumes complete responses from the connection's buffer. */
  function parse(conn: Conn): void {
    for (;;) {
      const buffer = conn.buffer
      if (!buffer || !conn.busy) return
      const headerEnd = buffer.indexOf('\r\n\r\n')
      if (headerEnd < 0) return
      const status = (buffer[9]! - 48) * 100 + (buffer[10]! - 48) * 10 + (buffer[11]! - 48)
      const head = buffer.toString('latin1', 0, headerEnd).toLowerCase()
      const bodyStart = headerEnd + 4
      let bodyEnd: number
      let consumed: number
      let chunkedBody: string | null = null
      const lengthAt = head.indexOf('\r\ncontent-length:')
      if (lengthAt >= 0) {
        const lineEnd = head.indexOf('\r\n', lengthAt + 2)
        const length = Number.parseInt(
          head.slice(lengthAt + 17, lineEnd < 0 ? undefined : lineEnd).trim(),
          10,
        )
        bodyEnd = bodyStart + length
        if (buffer.length < bodyEnd) return
        consumed = bodyEnd
      } else if (head.includes('transfer-encoding: chunked')) {
        // Minimal chunked decoding (the servers under test normally send Content-Length).
        let at = bodyStart
        let text = ''
        for (;;) {
          const lineEnd = buffer.indexOf('\r\n', at)
          if (lineEnd < 0) return
          const size = Number.parseInt(buffer.toString('latin1', at, lineEnd), 16)
          if (size === 0) {
            if (buffer.length < lineEnd + 4) return
            consumed = lineEnd + 4
            break
          }
          if (buffer.length < lineEnd + 2 + size + 2) return
          text += buffer.toString('utf8', lineEnd + 2, lineEnd + 2 + size)
          at = lineEnd + 2 + size + 2
        }
        chunkedBody = text
        bodyEnd = consumed
      } else {
        bodyEnd = bodyStart
        consumed = bodyStart
      }
      const wanted = spec.collectReceipts && status >= 200 && status < 300
      const body = wanted ? (chunkedBody ?? buffer.toString('utf8', bodyStart, bodyEnd)) : null
      conn.buffer = buffer.length > consumed ? buffer.subarray(consumed) : null
      finish(conn, status, body)
    }
  }

  async function connect(conn: Conn): Promise<void> {
    conn.socket = await Bun.connect<Conn>({
      hostname: '127.0.0.1',
      port: spec.port,
      data: conn,
      socket: {
        data(socket, chunk) {
          const c = socket.data
          c.buffer = c.buffer ? Buffer.concat([c.buffer, chunk]) : chunk
          parse(c)
        },
        drain(socket) {
          const c = socket.data
          if (!c.pending) return
          const written = socket.write(c.pending)
          c.pending = written < c.pending.length ? c.pending.subarray(Math.max(0, written)) : null
        },
        close(socket) {
          const c = socket.data
          c.socket = null
          if (c.busy) {
            errors += 1
            c.busy = false
            busyCount -= 1
          }
          if (sending) {
            // The server closed the connection: reconnect (a refused reconnect counts as an error).
            connect(c)
              .then(() => (send(c) ? undefined : idle.push(c)))
              .catch(() => {
                errors += 1
              })
          } else if (busyCount === 0) settle?.()
        },
        error() {
          errors += 1
        },
      },
    })
  }

  const conns: Conn[] = Array.from({ length: spec.connections }, () => ({
    socket: null,
    busy: false,
    sentAt: 0,
    buffer: null,
    pending: null,
  }))
  await Promise.all(conns.map(connect))
  startedAt = performance.now()
  windowStart = startedAt + spec.warmupMs
  windowEnd = windowStart + spec.durationMs
  for (const conn of conns) if (!send(conn)) idle.push(conn)
  // Paced mode (and connections that found nothing to do): wake idle connections every millisecond.
  const pump = setInterval(() => {
    while (idle.length > 0 && sending) {
      const conn = idle.pop()!
      if (conn.busy) continue
      if (!send(conn)) {
        idle.push(conn)
        break
      }
    }
  }, 1)
  await Promise.race([Bun.sleep(Math.max(0, windowEnd - performance.now())), answered])
  // A bounded phase that finished early is measured over the time it took.
  windowEnd = Math.min(windowEnd, performance.now())
  const measuredMs = Math.max(1, windowEnd - windowStart)
  sending = false
  clearInterval(pump)
  // Wait (at most 10 s) for the responses in flight: their votes were accepted and must be known.
  if (busyCount > 0) {
    await Promise.race([new Promise<void>((resolve) => (settle = resolve)), Bun.sleep(10_000)])
  }
  const unanswered = busyCount
  for (const conn of conns) conn.socket?.end()

  let receipts: [string, string][] | undefined
  if (spec.collectReceipts) {
    const newest = new Map<string, string>()
    for (const body of bodies) {
      const parsed = JSON.parse(body) as { motionId: string; votes: { unitId: string; sequence: string }[] }
      for (const vote of parsed.votes) keepNewest(newest, `${parsed.motionId}:${vote.unitId}`, vote.sequence)
    }
    receipts = [...newest]
  }
  return {
    mode: 'http',
    sent,
    ok,
    okPerSecond: ok / (measuredMs / 1000),
    statuses,
    latency: summarize(latencies.view()),
    okTotal,
    errors,
    unanswered,
    receipts,
    windowMs: measuredMs,
    cpuMs: cpuMs(),
  }
}

interface Voter {
  ws: WebSocket
  index: number
  inFlight: Map<string, number>
  tokens: number
  refilledAt: number
  counter: number
}

async function runWs(spec: WsLoadSpec): Promise<LoadResult> {
  const latencies = new Samples()
  const statuses: Record<string, number> = {}
  const newest = new Map<string, string>()
  let sent = 0
  let ok = 0
  let okTotal = 0
  let errors = 0
  let sending = false
  let inFlightTotal = 0
  let windowStart = Number.POSITIVE_INFINITY
  let windowEnd = Number.POSITIVE_INFINITY
  let settle: (() => void) | null = null

  const voters: Voter[] = []
  // Messages are built from fixed parts: only the request id changes.
  const parts = spec.voters.map((voter) =>
    spec.motionIds.map((motionId, m) => ({
      head: `{"type":"vote","requestId":"${m}.`,
      tail: `","organizationId":"${voter.organizationId}","motionId":"${motionId}","ballots":[{"unitId":"${voter.unitId}","optionKeys":["${['yes', 'no', 'abstain'][m % 3]}"]}]}`,
    })),
  )

  function ready(voter: Voter, now: number): boolean {
    if (voter.inFlight.size >= spec.window) return false
    voter.tokens = Math.min(spec.burst, voter.tokens + ((now - voter.refilledAt) / 1000) * spec.ratePerSecond)
    voter.refilledAt = now
    return voter.tokens >= 1
  }

  function sendOne(voter: Voter, now: number): void {
    voter.tokens -= 1
    const m = voter.counter % spec.motionIds.length
    const requestId = `${m}.${voter.counter}`
    voter.counter += 1
    const part = parts[voter.index]![m]!
    voter.inFlight.set(requestId, now)
    inFlightTotal += 1
    sent += 1
    voter.ws.send(part.head + requestId.slice(requestId.indexOf('.') + 1) + part.tail)
  }

  // Round robin over the sockets: fill up to `maxInFlight` messages in flight, each socket within its
  // window and its rate; when no socket may send now, look again in 5 ms.
  let cursor = 0
  let retry: Timer | null = null
  function fill(): void {
    if (!sending) return
    const now = performance.now()
    let scanned = 0
    while (inFlightTotal < spec.maxInFlight && scanned < voters.length) {
      const voter = voters[cursor]!
      cursor = cursor + 1 === voters.length ? 0 : cursor + 1
      if (ready(voter, now)) {
        sendOne(voter, now)
        scanned = 0
      } else scanned += 1
    }
    if (inFlightTotal < spec.maxInFlight && retry === null) {
      retry = setTimeout(() => {
        retry = null
        fill()
      }, 5)
    }
  }

  function onMessage(voter: Voter, text: string): void {
    if (!text.startsWith('{"type":"vote.')) return
    const message = JSON.parse(text) as {
      type: 'vote.accepted' | 'vote.refused'
      requestId: string
      votes?: { unitId: string; sequence: string }[]
      error?: { code: string }
    }
    const sentAt = voter.inFlight.get(message.requestId)
    if (sentAt === undefined) return
    voter.inFlight.delete(message.requestId)
    inFlightTotal -= 1
    const now = performance.now()
    const accepted = message.type === 'vote.accepted'
    if (accepted) {
      okTotal += 1
      const motionId = spec.motionIds[Number(message.requestId.slice(0, message.requestId.indexOf('.')))]!
      for (const vote of message.votes ?? []) keepNewest(newest, `${motionId}:${vote.unitId}`, vote.sequence)
    }
    if (now >= windowStart && now <= windowEnd) {
      latencies.push(now - sentAt)
      const key = accepted ? 'accepted' : (message.error?.code ?? 'refused')
      statuses[key] = (statuses[key] ?? 0) + 1
      if (accepted) ok += 1
    }
    if (sending) fill()
    else if (inFlightTotal === 0) settle?.()
  }

  // Connect every voter (not measured), a few hundred at a time.
  const batch = 200
  for (let start = 0; start < spec.voters.length; start += batch) {
    await Promise.all(
      spec.voters.slice(start, start + batch).map(
        (voter, offset) =>
          new Promise<void>((resolve, reject) => {
            const ws = new WebSocket(`${spec.url}?ticket=${encodeURIComponent(voter.ticket)}`)
            const state: Voter = {
              ws,
              index: start + offset,
              inFlight: new Map(),
              tokens: spec.burst,
              refilledAt: performance.now(),
              counter: 0,
            }
            ws.onopen = () => {
              voters.push(state)
              resolve()
            }
            ws.onerror = () => {
              errors += 1
              reject(new Error('websocket voter could not connect'))
            }
            ws.onclose = (event) => {
              if (event.code !== 1000 && event.code !== 1005) errors += 1
              if (state.inFlight.size > 0) {
                inFlightTotal -= state.inFlight.size
                state.inFlight.clear()
                if (!sending && inFlightTotal === 0) settle?.()
              }
            }
            ws.onmessage = (event) => onMessage(state, event.data as string)
          }),
      ),
    )
  }
  const startedAt = performance.now()
  windowStart = startedAt + spec.warmupMs
  windowEnd = windowStart + spec.durationMs
  sending = true
  for (const voter of voters) voter.refilledAt = startedAt
  fill()
  await Bun.sleep(Math.max(0, windowEnd - performance.now()))
  sending = false
  if (retry) clearTimeout(retry)
  if (inFlightTotal > 0) {
    await Promise.race([new Promise<void>((resolve) => (settle = resolve)), Bun.sleep(20_000)])
  }
  const unanswered = inFlightTotal
  for (const voter of voters) voter.ws.close(1000)
  return {
    mode: 'ws',
    sent,
    ok,
    okPerSecond: ok / (spec.durationMs / 1000),
    statuses,
    latency: summarize(latencies.view()),
    okTotal,
    errors,
    unanswered,
    receipts: [...newest],
    windowMs: spec.durationMs,
    cpuMs: cpuMs(),
  }
}

function cpuMs(): number {
  const usage = process.cpuUsage()
  return (usage.user + usage.system) / 1000
}
