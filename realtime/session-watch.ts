import { onRevocation } from '../core/auth/revocation.ts'
import { liveSessionIds } from '../core/auth/sessions.ts'
import type { Bus, Unsubscribe } from '../core/bus/index.ts'
import type { Logger } from '../core/log.ts'
import type { Database } from '../db/client.ts'
import { CLOSE, type RealtimeSocket } from './socket.ts'

/** Backstop for a revocation announcement this node missed (bus reconnecting): sessions rechecked. */
const SESSION_SWEEP_MS = 30_000

/**
 * Sockets follow the session they were opened from: signing out (everywhere) and disabled users close
 * them on every node at once, and a periodic sweep closes those whose session ended unannounced.
 */
export function createSessionWatch(deps: { db: Database; bus: Bus; log: Logger }) {
  const { db, bus, log } = deps
  /** Sockets of signed-in users, for revocation (rare: a scan is fine). */
  const userSockets = new Set<RealtimeSocket>()
  let revocationsOff: Unsubscribe | null = null
  let sweep: Timer | null = null

  const signOut = (ws: RealtimeSocket) => {
    userSockets.delete(ws)
    ws.data.userId = null
    ws.close(CLOSE.unauthenticated, 'Signed out')
  }

  /** Closes the sockets whose session ended without this node hearing of it. */
  async function sweepSessions(): Promise<number> {
    const open = [...userSockets]
    if (open.length === 0) return 0
    const live = await liveSessionIds(db, [...new Set(open.map((ws) => ws.data.sessionId!))])
    const ended = open.filter((ws) => !live.has(ws.data.sessionId!))
    for (const ws of ended) signOut(ws)
    return ended.length
  }

  return {
    /** Follows the socket's session (screen links have none). */
    add(ws: RealtimeSocket): void {
      if (ws.data.sessionId) userSockets.add(ws)
    },
    remove(ws: RealtimeSocket): void {
      userSockets.delete(ws)
    },
    sweepSessions,
    async start(): Promise<void> {
      revocationsOff = await onRevocation(bus, (revocation) => {
        for (const ws of userSockets) {
          if (
            !revocation ||
            revocation.sessionIds.includes(ws.data.sessionId!) ||
            ws.data.userId === revocation.userId
          )
            signOut(ws)
        }
      })
      sweep = setInterval(
        () => void sweepSessions().catch((error) => log.warn('session sweep failed', { error })),
        SESSION_SWEEP_MS,
      )
    },
    async stop(): Promise<void> {
      if (sweep) clearInterval(sweep)
      await revocationsOff?.()
    },
  }
}
