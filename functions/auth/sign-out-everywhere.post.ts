import { Elysia, t } from 'elysia'
import { appendAudit } from '../../core/auth/audit.ts'
import { invalidateUserSessions } from '../../core/auth/sessions.ts'
import { auth, clientIp } from '../_lib/auth.ts'
import { clearedSessionCookie } from '../_lib/session-cookie.ts'

/** Ends every session of the signed-in user, on every device. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, user, set, request, server }) => {
    const sessionIds = await invalidateUserSessions(s.db, user.id)
    // Every process drops the sessions, closes their sockets, and refuses their realtime tickets.
    await s.authCache.revoke({ userId: user.id, sessionIds })
    const ended = sessionIds.length
    await appendAudit(s.db, {
      action: 'auth.sessions_revoked',
      actorUserId: user.id,
      subject: user.id,
      ip: clientIp(request, server, s.config),
      data: { ended },
    })
    set.headers['set-cookie'] = clearedSessionCookie(s.config)
    return { sessionsEnded: ended }
  },
  {
    auth: 'user',
    response: t.Object({ sessionsEnded: t.Integer() }),
    detail: { summary: 'Sign out everywhere', tags: ['auth'] },
  },
)
