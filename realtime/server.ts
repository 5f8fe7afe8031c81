import type { ServerWebSocket } from 'bun'
import { type Static, t } from 'elysia'
import { TypeCompiler } from 'elysia/type-system'
import { createAuthCache } from '../core/auth/auth-cache.ts'
import { onRevocation } from '../core/auth/revocation.ts'
import { liveSessionIds, validateSession } from '../core/auth/sessions.ts'
import type { Bus } from '../core/bus/index.ts'
import type { Config } from '../core/config.ts'
import { errorResponse, isAllowedOrigin, processRoute, sessionCookieOf } from '../core/edge.ts'
import { AppError } from '../core/errors.ts'
import type { Logger } from '../core/log.ts'
import { BATCH_SIZE_BUCKETS, createProcessRegistry } from '../core/metrics.ts'
import { BallotsSchema } from '../core/motions/ballot-schema.ts'
import { redeemTicket, verifyScreenToken } from '../core/realtime-tokens.ts'
import { createVoteQueue, VOTE_STREAM } from '../core/votes/queue.ts'
import { createVoteService, type VoteService } from '../core/votes/service.ts'
import { createVoteWriter, type VoteWriter, WRITER_GROUP } from '../core/votes/writer.ts'
import type { DatabaseHandle } from '../db/client.ts'
import { createTallyHub } from './hub.ts'

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

/**
 * Close codes: 4401 not signed in (or signed out since), 4403 not allowed, 4429 too many messages,
 * 4400 malformed message.
 */
export const CLOSE = {
  unauthenticated: 4401,
  forbidden: 4403,
  rateLimited: 4429,
  malformed: 4400,
  goingAway: 1001,
} as const

const MAX_MESSAGE_BYTES = 16 * 1024
/** Per connection: bursts of 20 messages, 10 per second sustained. */
const BUCKET_SIZE = 20
const REFILL_PER_SECOND = 10
/** Backstop for a revocation announcement this node missed (bus reconnecting): sessions rechecked. */
const SESSION_SWEEP_MS = 30_000

interface SocketData {
  userId: string | null
  /** The session the socket was opened from (cookie or ticket); it closes when that session ends. */
  sessionId: string | null
  /** Read-only access to one assembly from a signed tally-screen link. */
  screenAssemblyId: string | null
  /** Topics this socket follows; a plain array, since a client follows one or two (memory per socket). */
  topics: string[]
  tokens: number
  refilledAt: number
  /** A send hit backpressure: the client gets a full snapshot once the socket drains. */
  lagging: boolean
}

const IncomingSchema = t.Union([
  t.Object({ type: t.Literal('subscribe'), assemblyId: t.String({ format: 'uuid' }) }),
  t.Object({ type: t.Literal('unsubscribe'), assemblyId: t.String({ format: 'uuid' }) }),
  t.Object({ type: t.Literal('resync'), assemblyId: t.String({ format: 'uuid' }) }),
  t.Object({ type: t.Literal('ping') }),
  t.Object({
    type: t.Literal('vote'),
    requestId: t.String({ maxLength: 64 }),
    organizationId: t.String({ format: 'uuid' }),
    motionId: t.String({ format: 'uuid' }),
    ballots: BallotsSchema,
  }),
])
const Incoming = TypeCompiler.Compile(IncomingSchema)
type IncomingMessage = Static<typeof IncomingSchema>

/**
 * The realtime process: its own Bun.serve with WebSocket topics per assembly (tally screens, voters),
 * the vote batch writer, and /api/health and /api/ready like every process.
 */
export async function startRealtimeServer(deps: RealtimeDeps, port = deps.config.realtimePort) {
  const { config, database, bus, log, secretKey } = deps
  const db = database.db
  const votes = deps.votes ?? createVoteService({ db, bus, queue: createVoteQueue(bus), log })
  const runWriter = deps.runWriter ?? config.votes.writerInRealtime
  const metrics = createProcessRegistry('realtime')
  const batchSizes = metrics.histogram(
    'vote_batch_size',
    'Ballots per committed writer batch',
    BATCH_SIZE_BUCKETS,
  )
  const writer: VoteWriter | null = runWriter
    ? createVoteWriter({
        bus,
        db,
        log,
        batchSize: config.votes.batchSize,
        maxWaitMs: config.votes.batchWaitMs,
        claimIdleMs: config.votes.claimIdleMs,
        onBatch: ({ size }) => batchSizes.observe(size),
      })
    : null
  const sessionPolicy = { idleMs: config.auth.sessionIdleMs, absoluteMs: config.auth.sessionAbsoluteMs }
  const counters = { connections: 0 }
  const authCache = createAuthCache({ db, bus })
  /** Sockets of signed-in users, for revocation (rare: a scan is fine). */
  const userSockets = new Set<ServerWebSocket<SocketData>>()
  metrics.gauge('ws_connections', 'Open WebSocket connections', () => counters.connections)
  const droppedSends = metrics.counter(
    'ws_dropped_sends_total',
    'Messages dropped for slow or closing sockets',
  )
  const backpressuredSends = metrics.counter(
    'ws_backpressured_sends_total',
    'Sends queued under backpressure',
  )
  const votesAccepted = metrics.counter(
    'votes_accepted_total',
    'Ballots accepted by the vote path, by channel',
  )
  metrics.gauge('vote_queue_length', 'Entries in the vote stream', () => bus.streamLength(VOTE_STREAM))
  metrics.gauge('vote_writer_pending', 'Entries read but not yet committed', () =>
    bus.pendingCount(VOTE_STREAM, WRITER_GROUP).catch(() => 0),
  )

  // Assigned once the server exists: the hub publishes through it.
  let server: ReturnType<typeof Bun.serve<SocketData>>
  const hub = createTallyHub({ db, bus, log, publish: (topic, message) => server.publish(topic, message) })
  metrics.gauge('tally_topics', 'Assembly topics served by this node', () => hub.stats.topics)
  metrics.counterFrom('tally_deltas_total', 'Tally deltas published', () => hub.stats.deltas)
  if (writer) {
    metrics.counterFrom('vote_writer_batches_total', 'Batches committed', () => writer.stats.batches)
    metrics.counterFrom('vote_writer_committed_total', 'Entries committed', () => writer.stats.committed)
    metrics.gauge('vote_writer_last_batch_size', 'Size of the last batch', () => writer.stats.lastBatchSize)
    metrics.gauge(
      'vote_writer_last_batch_seconds',
      'Duration of the last batch',
      () => writer.stats.lastBatchMs / 1000,
    )
    metrics.gauge(
      'vote_writer_lag_seconds',
      'Seconds from the oldest ballot of the last batch being cast to its commit',
      () => writer.stats.lastLagSeconds,
    )
    metrics.counterFrom('vote_writer_errors_total', 'Failed attempts (retried)', () => writer.stats.errors)
  }

  const send = (ws: ServerWebSocket<SocketData>, message: unknown) => {
    const result = ws.send(JSON.stringify(message))
    if (result === -1) {
      backpressuredSends.inc()
      ws.data.lagging = true
    } else if (result === 0) {
      // Dropped: the socket is closing or hopelessly behind; Bun closes it at the backpressure limit.
      droppedSends.inc()
    }
  }

  /**
   * The socket's identity: synchronous for screen links (no await before the upgrade keeps the
   * per-connection cost down), a Promise for tickets (one bus round trip) and cookies (the database).
   */
  function authenticateUpgrade(
    request: Request,
    url: URL,
  ): SocketData | Response | Promise<SocketData | Response> {
    const origin = request.headers.get('origin')
    if (origin && !isAllowedOrigin(origin, config)) {
      log.warn('WebSocket refused: Origin does not match PUBLIC_URL', {
        expected: config.allowedOrigins,
        received: origin,
      })
      return errorResponse(403, 'origin_rejected', 'Origin not allowed')
    }
    const base = { topics: [] as string[], tokens: BUCKET_SIZE, refilledAt: Date.now(), lagging: false }
    const screen = url.searchParams.get('screen')
    if (screen) {
      const grant = verifyScreenToken(secretKey, screen)
      if (!grant)
        return errorResponse(401, 'invalid_screen_link', 'The tally-screen link is invalid or expired')
      return { ...base, userId: null, sessionId: null, screenAssemblyId: grant.assemblyId }
    }
    const ticket = url.searchParams.get('ticket')
    if (ticket) {
      // Single use, and only while its session lives: one atomic take on the bus.
      return redeemTicket(bus, secretKey, ticket).then((grant) =>
        grant
          ? { ...base, userId: grant.userId, sessionId: grant.sessionId, screenAssemblyId: null }
          : errorResponse(401, 'invalid_ticket', 'The ticket is invalid, expired or already used'),
      )
    }
    // A cookie is sent by the browser on its own: only from an allowed page (no cross-site hijacking).
    const cookie = sessionCookieOf(request, config)
    const refused = errorResponse(401, 'unauthenticated', 'Sign in, or use a ticket or a tally-screen link')
    if (!cookie || !origin) return refused
    return validateSession(db, cookie, sessionPolicy).then((valid) =>
      valid
        ? { ...base, userId: valid.user.id, sessionId: valid.session.id, screenAssemblyId: null }
        : refused,
    )
  }

  function allowMessage(ws: ServerWebSocket<SocketData>): boolean {
    const now = Date.now()
    const data = ws.data
    data.tokens = Math.min(BUCKET_SIZE, data.tokens + ((now - data.refilledAt) / 1000) * REFILL_PER_SECOND)
    data.refilledAt = now
    if (data.tokens < 1) return false
    data.tokens -= 1
    return true
  }

  async function subscribe(ws: ServerWebSocket<SocketData>, assemblyId: string): Promise<void> {
    const data = ws.data
    if (data.screenAssemblyId && data.screenAssemblyId !== assemblyId) {
      send(ws, { type: 'error', code: 'forbidden', message: 'This link is for another assembly' })
      return
    }
    const topic = hub.topicName(assemblyId)
    if (data.topics.includes(topic)) {
      send(ws, hub.snapshotOf(assemblyId))
      return
    }
    // Authorised before anything is loaded or joined: a refusal leaves no topic open to read.
    // Same answer for "no such assembly" and "not yours": other PHs' ids are never confirmed.
    const notFound = { type: 'error', code: 'not_found', message: 'Assembly not found' }
    if (data.userId) {
      const organizationId = await hub.organizationOf(assemblyId)
      if (!organizationId) return send(ws, notFound)
      const membership = await authCache.membership(data.userId, organizationId)
      if (membership.roles.length === 0) return send(ws, notFound)
    }
    if (ws.readyState !== 1) return
    const joined = await hub.join(assemblyId)
    if (!joined) return send(ws, notFound)
    if (ws.readyState !== 1) {
      hub.leave(assemblyId)
      return
    }
    data.topics.push(topic)
    ws.subscribe(topic)
    send(ws, joined.message)
  }

  async function vote(ws: ServerWebSocket<SocketData>, message: Extract<IncomingMessage, { type: 'vote' }>) {
    const { userId } = ws.data
    if (!userId) {
      send(ws, {
        type: 'vote.refused',
        requestId: message.requestId,
        error: { code: 'forbidden', message: 'Read-only link' },
      })
      return
    }
    try {
      const membership = await authCache.membership(userId, message.organizationId)
      const result = await votes.cast({
        organizationId: message.organizationId,
        motionId: message.motionId,
        ballots: message.ballots,
        actor: { userId, personId: membership.personIds[0] ?? null },
        channel: 'websocket',
      })
      votesAccepted.inc({ channel: 'websocket' }, result.votes.length)
      send(ws, { type: 'vote.accepted', requestId: message.requestId, votes: result.votes })
    } catch (error) {
      if (!(error instanceof AppError)) {
        log.error('websocket vote failed', { error })
        send(ws, {
          type: 'vote.refused',
          requestId: message.requestId,
          error: { code: 'internal_error', message: 'Try again' },
        })
        return
      }
      send(ws, {
        type: 'vote.refused',
        requestId: message.requestId,
        error: { code: error.code, message: error.message, details: error.details },
      })
    }
  }

  server = Bun.serve<SocketData>({
    port,
    hostname: config.host,
    reusePort: deps.reusePort ?? config.realtimeProcesses > 1,
    fetch: async (request, srv) => {
      const url = new URL(request.url)
      if (url.pathname !== '/ws') {
        const answer = await processRoute(url.pathname, deps, metrics)
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
        if (ws.data.sessionId) userSockets.add(ws)
        send(ws, { type: 'hello', readOnly: ws.data.userId === null, heartbeatSeconds: 25 })
        if (ws.data.screenAssemblyId) void subscribe(ws, ws.data.screenAssemblyId)
      },
      async message(ws, raw) {
        if (!allowMessage(ws)) {
          ws.close(CLOSE.rateLimited, 'Too many messages')
          return
        }
        let parsed: unknown
        try {
          parsed = JSON.parse(typeof raw === 'string' ? raw : new TextDecoder().decode(raw))
        } catch {
          send(ws, { type: 'error', code: 'malformed_message', message: 'Messages are JSON' })
          return
        }
        if (!Incoming.Check(parsed)) {
          send(ws, { type: 'error', code: 'invalid_message', message: 'Unknown message or wrong fields' })
          return
        }
        const message = parsed
        switch (message.type) {
          case 'ping':
            send(ws, { type: 'pong', at: Date.now() })
            return
          case 'subscribe':
            await subscribe(ws, message.assemblyId)
            return
          case 'resync':
            // Only for a topic this socket was allowed to follow.
            send(
              ws,
              (ws.data.topics.includes(hub.topicName(message.assemblyId)) &&
                hub.snapshotOf(message.assemblyId)) || {
                type: 'error',
                code: 'not_subscribed',
                message: 'Subscribe to the assembly first',
              },
            )
            return
          case 'unsubscribe': {
            const topic = hub.topicName(message.assemblyId)
            if (ws.data.topics.includes(topic)) {
              ws.data.topics = ws.data.topics.filter((followed) => followed !== topic)
              ws.unsubscribe(topic)
              hub.leave(message.assemblyId)
            }
            return
          }
          case 'vote':
            await vote(ws, message)
            return
        }
      },
      drain(ws) {
        if (!ws.data.lagging) return
        ws.data.lagging = false
        // The client may have missed deltas while backed up: give it the whole picture again.
        for (const topic of ws.data.topics) send(ws, hub.snapshotOf(topic.replace(/^assembly:/, '')))
      },
      close(ws) {
        counters.connections -= 1
        userSockets.delete(ws)
        for (const topic of ws.data.topics) hub.leave(topic.replace(/^assembly:/, ''))
      },
    },
  })
  const signOut = (ws: ServerWebSocket<SocketData>) => {
    userSockets.delete(ws)
    ws.data.userId = null
    ws.close(CLOSE.unauthenticated, 'Signed out')
  }
  // Sign out (everywhere) and disabled users reach open sockets on every node at once.
  const revocationsOff = await onRevocation(bus, (revocation) => {
    for (const ws of userSockets) {
      if (
        !revocation ||
        revocation.sessionIds.includes(ws.data.sessionId!) ||
        ws.data.userId === revocation.userId
      )
        signOut(ws)
    }
  })
  /** Closes the sockets whose session ended without this node hearing of it. */
  async function sweepSessions(): Promise<number> {
    const open = [...userSockets]
    if (open.length === 0) return 0
    const live = await liveSessionIds(db, [...new Set(open.map((ws) => ws.data.sessionId!))])
    const ended = open.filter((ws) => !live.has(ws.data.sessionId!))
    for (const ws of ended) signOut(ws)
    return ended.length
  }
  const sweep = setInterval(
    () => void sweepSessions().catch((error) => log.warn('session sweep failed', { error })),
    SESSION_SWEEP_MS,
  )
  await hub.start()
  writer?.start()
  log.info('realtime listening', { url: `http://${server.hostname}:${server.port}`, writer: writer !== null })
  return {
    server,
    hub,
    writer,
    votes,
    counters,
    sweepSessions,
    stop: async () => {
      clearInterval(sweep)
      await revocationsOff()
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
