import { Elysia, t } from 'elysia'
import { createTicket } from '../../core/realtime-tokens.ts'
import { auth } from '../_lib/auth.ts'

const TICKET_TTL_MS = 60_000

/** A one-minute pass for the signed-in user to open the realtime WebSocket (browsers cannot send headers). */
export default new Elysia().use(auth).post(
  '',
  ({ services: s, user }) => {
    const ticket = createTicket(s.secretKey, user.id, TICKET_TTL_MS)
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
