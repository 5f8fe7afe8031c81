import { Elysia, t } from 'elysia'
import { issueTicket } from '../../core/realtime-tokens.ts'
import { auth } from '../_lib/auth.ts'

const TICKET_TTL_MS = 60_000

/**
 * A one-minute, single-use pass for the signed-in user to open the realtime WebSocket (browsers cannot
 * send headers); it dies with the session it was issued from.
 */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, user, session }) => {
    const ticket = await issueTicket(
      s.bus,
      s.secretKey,
      { userId: user.id, sessionId: session.id },
      TICKET_TTL_MS,
    )
    return {
      ticket,
      url: `${s.config.realtimePublicUrl}?ticket=${encodeURIComponent(ticket)}`,
      expiresInSeconds: TICKET_TTL_MS / 1000,
    }
  },
  {
    auth: 'user',
    response: t.Object({ ticket: t.String(), url: t.String(), expiresInSeconds: t.Integer() }),
    detail: { summary: 'Get a ticket for the realtime WebSocket', tags: ['realtime'] },
  },
)
