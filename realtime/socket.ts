import type { ServerWebSocket } from 'bun'

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

/** Per connection: bursts of 20 messages, 10 per second sustained. */
const BUCKET_SIZE = 20
const REFILL_PER_SECOND = 10

/** Who the socket is, as the upgrade established it. */
export interface SocketIdentity {
  userId: string | null
  /** The session the socket was opened from (cookie or ticket); it closes when that session ends. */
  sessionId: string | null
  /** Read-only access to one assembly from a signed tally-screen link. */
  screenAssemblyId: string | null
}

export interface SocketData extends SocketIdentity {
  /** Topics this socket follows; a plain array, since a client follows one or two (memory per socket). */
  topics: string[]
  tokens: number
  refilledAt: number
  /** A send hit backpressure: the client gets a full snapshot once the socket drains. */
  lagging: boolean
}

export type RealtimeSocket = ServerWebSocket<SocketData>

/** A new socket's state: its identity, no topics, a full message bucket. */
export function newSocketData(identity: SocketIdentity): SocketData {
  return { topics: [], tokens: BUCKET_SIZE, refilledAt: Date.now(), lagging: false, ...identity }
}

/** Takes one message from the socket's bucket; false when it is empty (the client floods). */
export function allowMessage(ws: RealtimeSocket): boolean {
  const now = Date.now()
  const data = ws.data
  data.tokens = Math.min(BUCKET_SIZE, data.tokens + ((now - data.refilledAt) / 1000) * REFILL_PER_SECOND)
  data.refilledAt = now
  if (data.tokens < 1) return false
  data.tokens -= 1
  return true
}

/** Sends one JSON message and counts what backpressure did to it. */
export type Send = (ws: RealtimeSocket, message: unknown) => void

export function createSend(counters: { backpressured: { inc(): void }; dropped: { inc(): void } }): Send {
  return (ws, message) => {
    const result = ws.send(JSON.stringify(message))
    if (result === -1) {
      counters.backpressured.inc()
      ws.data.lagging = true
    } else if (result === 0) {
      // Dropped: the socket is closing or hopelessly behind; Bun closes it at the backpressure limit.
      counters.dropped.inc()
    }
  }
}
