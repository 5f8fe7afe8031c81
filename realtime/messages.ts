import { type Static, t } from 'elysia'
import { TypeCompiler } from 'elysia/type-system'
import type { AuthCache } from '../core/auth/auth-cache.ts'
import type { Bus } from '../core/bus/types.ts'
import { AppError } from '../core/errors.ts'
import type { Logger } from '../core/log.ts'
import { BallotsSchema } from '../core/motions/ballot-schema.ts'
import { castAsMember } from '../core/votes/cast-as-member.ts'
import type { VoteService } from '../core/votes/service.ts'
import type { TallyHub } from './hub.ts'
import { allowMessage, CLOSE, type RealtimeSocket, type Send } from './socket.ts'

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
 * What a socket says and hears: the greeting, subscribe / unsubscribe / resync of an assembly's topic
 * (only topics the socket may see), ping, and votes cast through the vote service.
 */
export function createMessageHandler(deps: {
  hub: TallyHub
  votes: VoteService
  authCache: AuthCache
  bus: Bus
  log: Logger
  send: Send
  /** Counts the ballots accepted over the WebSocket. */
  votesAccepted: { inc(labels: { channel: string }, by: number): void }
}) {
  const { hub, votes, authCache, log, send } = deps

  async function subscribe(ws: RealtimeSocket, assemblyId: string): Promise<void> {
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

  async function vote(ws: RealtimeSocket, message: Extract<IncomingMessage, { type: 'vote' }>) {
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
      const result = await castAsMember(
        { votes, authCache, bus: deps.bus },
        {
          organizationId: message.organizationId,
          motionId: message.motionId,
          ballots: message.ballots,
          userId,
          channel: 'websocket',
        },
      )
      deps.votesAccepted.inc({ channel: 'websocket' }, result.votes.length)
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

  return {
    /** Greets a new socket; a tally-screen link follows its assembly at once. */
    open(ws: RealtimeSocket): void {
      send(ws, { type: 'hello', readOnly: ws.data.userId === null, heartbeatSeconds: 25 })
      if (ws.data.screenAssemblyId) void subscribe(ws, ws.data.screenAssemblyId)
    },

    async message(ws: RealtimeSocket, raw: string | Buffer): Promise<void> {
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

    /** The client may have missed deltas while backed up: give it the whole picture again. */
    drain(ws: RealtimeSocket): void {
      if (!ws.data.lagging) return
      ws.data.lagging = false
      for (const topic of ws.data.topics) send(ws, hub.snapshotOf(topic.replace(/^assembly:/, '')))
    },

    /** Leaves every topic the socket followed. */
    close(ws: RealtimeSocket): void {
      for (const topic of ws.data.topics) hub.leave(topic.replace(/^assembly:/, ''))
    },
  }
}
