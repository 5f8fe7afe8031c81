import { validateSession } from '../core/auth/sessions.ts'
import type { Bus } from '../core/bus/index.ts'
import type { Config } from '../core/config.ts'
import { errorResponse, isAllowedOrigin, sessionCookieOf } from '../core/edge.ts'
import type { Logger } from '../core/log.ts'
import { redeemTicket, verifyScreenToken } from '../core/realtime-tokens.ts'
import type { Database } from '../db/client.ts'
import { newSocketData, type SocketData } from './socket.ts'

export type AuthenticateUpgrade = (
  request: Request,
  url: URL,
) => SocketData | Response | Promise<SocketData | Response>

/**
 * Who a socket is, decided at the upgrade: a tally-screen link (read-only, one assembly), a single-use
 * ticket, or the session cookie of an allowed page. The answer is synchronous for screen links (no
 * await before the upgrade keeps the per-connection cost down), a Promise for tickets (one bus round
 * trip) and cookies (the database); a refusal is the Response to send.
 */
export function createUpgradeAuthenticator(deps: {
  config: Config
  secretKey: Uint8Array
  db: Database
  bus: Bus
  log: Logger
}): AuthenticateUpgrade {
  const { config, secretKey, db, bus, log } = deps
  const sessionPolicy = { idleMs: config.auth.sessionIdleMs, absoluteMs: config.auth.sessionAbsoluteMs }
  return (request, url) => {
    const origin = request.headers.get('origin')
    if (origin && !isAllowedOrigin(origin, config)) {
      log.warn('WebSocket refused: Origin does not match PUBLIC_URL', {
        expected: config.allowedOrigins,
        received: origin,
      })
      return errorResponse(403, 'origin_rejected', 'Origin not allowed')
    }
    const screen = url.searchParams.get('screen')
    if (screen) {
      const grant = verifyScreenToken(secretKey, screen)
      if (!grant)
        return errorResponse(401, 'invalid_screen_link', 'The tally-screen link is invalid or expired')
      return newSocketData({ userId: null, sessionId: null, screenAssemblyId: grant.assemblyId })
    }
    const ticket = url.searchParams.get('ticket')
    if (ticket) {
      // Single use, and only while its session lives: one atomic take on the bus.
      return redeemTicket(bus, secretKey, ticket).then((grant) =>
        grant
          ? newSocketData({ userId: grant.userId, sessionId: grant.sessionId, screenAssemblyId: null })
          : errorResponse(401, 'invalid_ticket', 'The ticket is invalid, expired or already used'),
      )
    }
    // A cookie is sent by the browser on its own: only from an allowed page (no cross-site hijacking).
    const cookie = sessionCookieOf(request, config)
    const refused = errorResponse(401, 'unauthenticated', 'Sign in, or use a ticket or a tally-screen link')
    if (!cookie || !origin) return refused
    return validateSession(db, cookie, sessionPolicy).then((valid) =>
      valid
        ? newSocketData({ userId: valid.user.id, sessionId: valid.session.id, screenAssemblyId: null })
        : refused,
    )
  }
}
