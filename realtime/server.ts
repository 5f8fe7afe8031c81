import { createAuthCache } from '../core/auth/auth-cache.ts'
import type { Bus } from '../core/bus/index.ts'
import type { Config } from '../core/config.ts'
import { errorResponse, processRoute } from '../core/edge.ts'
import type { Logger } from '../core/log.ts'
import { createVoteQueue } from '../core/votes/queue.ts'
import { createVoteService, type VoteService } from '../core/votes/service.ts'
import { createVoteWriter, type VoteWriter } from '../core/votes/writer.ts'
import type { DatabaseHandle } from '../db/client.ts'
import { createTallyHub } from './hub.ts'
import { createMessageHandler } from './messages.ts'
import { createRealtimeMetrics } from './metrics.ts'
import { createSessionWatch } from './session-watch.ts'
import { createSend, type SocketData } from './socket.ts'
import { createUpgradeAuthenticator } from './upgrade.ts'

export interface RealtimeDeps {
  config: Config
  secretKey: Uint8Array
  database: DatabaseHandle
  bus: Bus
  log: Logger
  /** Defaults to a vote service on the same database and bus. */
  votes?: VoteService
  /** Run the vote batch writer in this process (default: VOTE_WRITER_IN_REALTIME, true). */
  runWriter?: boolean
  /**
   * Share the port with sibling processes (SO_REUSEPORT; default: REALTIME_PROCESSES > 1). Each
   * process then serves the sockets the kernel hands it; votes, tallies and revocations cross
   * processes through Redis as they do across nodes.
   */
  reusePort?: boolean
}

export { CLOSE } from './socket.ts'

const MAX_MESSAGE_BYTES = 16 * 1024

/**
 * The realtime process: its own Bun.serve with WebSocket topics per assembly (tally screens, voters),
 * the vote batch writer, and /api/health and /api/ready like every process. Who a socket is comes from
 * upgrade.ts, what it says from messages.ts, how long it stays signed in from session-watch.ts.
 */
export async function startRealtimeServer(deps: RealtimeDeps, port = deps.config.realtimePort) {
  const { config, database, bus, log, secretKey } = deps
  const db = database.db
  const votes = deps.votes ?? createVoteService({ db, bus, queue: createVoteQueue(bus), log })
  const runWriter = deps.runWriter ?? config.votes.writerInRealtime
  const counters = { connections: 0 }
  const metrics = createRealtimeMetrics({ bus, connections: () => counters.connections })
  const writer: VoteWriter | null = runWriter
    ? createVoteWriter({
        bus,
        db,
        log,
        batchSize: config.votes.batchSize,
        maxWaitMs: config.votes.batchWaitMs,
        claimIdleMs: config.votes.claimIdleMs,
        onBatch: ({ size }) => metrics.batchSizes.observe(size),
      })
    : null
  const authenticateUpgrade = createUpgradeAuthenticator({ config, secretKey, db, bus, log })
  const sessions = createSessionWatch({ db, bus, log })

  // Assigned once the server exists: the hub publishes through it.
  let server: ReturnType<typeof Bun.serve<SocketData>>
  const hub = createTallyHub({ db, bus, log, publish: (topic, message) => server.publish(topic, message) })
  metrics.observe(hub, writer)
  const messages = createMessageHandler({
    hub,
    votes,
    authCache: createAuthCache({ db, bus }),
    bus,
    log,
    send: createSend({ backpressured: metrics.backpressuredSends, dropped: metrics.droppedSends }),
    votesAccepted: metrics.votesAccepted,
  })

  server = Bun.serve<SocketData>({
    port,
    hostname: config.host,
    reusePort: deps.reusePort ?? config.realtimeProcesses > 1,
    fetch: async (request, srv) => {
      const url = new URL(request.url)
      if (url.pathname !== '/ws') {
        const answer = await processRoute(url.pathname, deps, metrics.registry)
        return answer ?? errorResponse(404, 'not_found', `No route for ${request.method} ${url.pathname}`)
      }
      if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
        return errorResponse(426, 'upgrade_required', 'Connect with a WebSocket')
      }
      const identity = authenticateUpgrade(request, url)
      const data = identity instanceof Promise ? await identity : identity
      if (data instanceof Response) return data
      if (srv.upgrade(request, { data })) return undefined
      return errorResponse(400, 'upgrade_failed', 'WebSocket upgrade failed')
    },
    websocket: {
      maxPayloadLength: MAX_MESSAGE_BYTES,
      // A client that stops reading is closed at 1 MiB of queued data instead of growing memory.
      backpressureLimit: 1024 * 1024,
      closeOnBackpressureLimit: true,
      idleTimeout: 60,
      sendPings: true,
      perMessageDeflate: false,
      open(ws) {
        counters.connections += 1
        sessions.add(ws)
        messages.open(ws)
      },
      message: (ws, raw) => messages.message(ws, raw),
      drain: (ws) => messages.drain(ws),
      close(ws) {
        counters.connections -= 1
        sessions.remove(ws)
        messages.close(ws)
      },
    },
  })
  // Sign out (everywhere) and disabled users reach open sockets on every node at once.
  await sessions.start()
  await hub.start()
  writer?.start()
  log.info('realtime listening', { url: `http://${server.hostname}:${server.port}`, writer: writer !== null })
  return {
    server,
    hub,
    writer,
    votes,
    counters,
    sweepSessions: sessions.sweepSessions,
    stop: async () => {
      await sessions.stop()
      server.stop(true)
      await hub.stop()
      await writer?.stop()
    },
  }
}

if (import.meta.main) {
  const { runProcess } = await import('../core/process.ts')
  const { isSibling, startSiblings } = await import('./siblings.ts')
  await runProcess('realtime', async ({ config, secretKey, log, platform }) => {
    const sibling = isSibling()
    const realtime = await startRealtimeServer({
      config,
      secretKey,
      log,
      database: platform.database,
      bus: platform.bus,
      // One writer per deployment is enough (it batches); siblings only serve sockets.
      runWriter: sibling ? false : undefined,
    })
    const siblings = sibling ? null : startSiblings({ count: config.realtimeProcesses - 1, log })
    return async () => {
      await siblings?.stop()
      await realtime.stop()
    }
  })
}
