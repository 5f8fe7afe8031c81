/**
 * The fan-out floor: a bare Bun WebSocket server that publishes one frame per tick to every socket on
 * one topic, with none of the realtime process's work (no authentication, no database, no tally).
 * Viewers (viewers.ts) connect to it exactly as they do to the realtime process and measure the same
 * latency (receive − `at`), so `fanout_p99_ms / fanout_floor_p99_ms` is what the product adds to what
 * Bun and this machine cost for the same number of sockets.
 * `bun ops/bench/publish-floor.ts <port> <delta bytes>`; `POST /go?ticks=N` publishes N deltas 100 ms apart.
 */
const port = Number(process.argv[2] ?? 0)
const padding = 'x'.repeat(Math.max(0, Number(process.argv[3] ?? 600) - 120))
let seq = 1

const server = Bun.serve({
  port,
  hostname: '127.0.0.1',
  fetch(request, server) {
    const url = new URL(request.url)
    if (url.pathname === '/health') return new Response('ok')
    if (url.pathname === '/go' && request.method === 'POST') {
      const ticks = Number(url.searchParams.get('ticks') ?? 8)
      let sent = 0
      const timer = setInterval(() => {
        seq += 1
        server.publish(
          'floor',
          `{"type":"delta","seq":${seq},"at":${Date.now()},"topic":"floor","changes":{"padding":"${padding}"}}`,
        )
        if (++sent >= ticks) clearInterval(timer)
      }, 100)
      return new Response('started')
    }
    return server.upgrade(request) ? undefined : new Response('upgrade expected', { status: 426 })
  },
  websocket: {
    open(ws) {
      ws.subscribe('floor')
      ws.send(`{"type":"hello"}`)
      ws.send(`{"type":"snapshot","seq":${seq},"topic":"floor","data":{}}`)
    },
    message() {},
  },
})

process.on('SIGTERM', () => {
  server.stop(true)
  process.exit(0)
})
