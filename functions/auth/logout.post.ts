import { Elysia, t } from 'elysia'
import { appendAudit } from '../../core/auth/audit.ts'
import { invalidateSession } from '../../core/auth/sessions.ts'
import { auth, clientIp } from '../_lib/auth.ts'
import { clearedSessionCookie } from '../_lib/session-cookie.ts'

/** Ends the current session. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, user, session, set, request, server }) => {
    await invalidateSession(s.db, session.id)
    await s.authCache.revoke({ sessionIds: [session.id] })
    await appendAudit(s.db, {
      action: 'auth.sign_out',
      actorUserId: user.id,
      ip: clientIp(request, server, s.config),
      data: { sessionId: session.id },
    })
    set.headers['set-cookie'] = clearedSessionCookie(s.config)
    return { signedOut: true }
  },
  {
    auth: 'user',
    response: t.Object({ signedOut: t.Boolean() }),
    detail: { summary: 'Sign out', tags: ['auth'] },
  },
)
