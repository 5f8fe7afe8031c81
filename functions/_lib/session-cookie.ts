import { appendAudit } from '../../core/auth/audit.ts'
import { createSession } from '../../core/auth/sessions.ts'
import type { Config } from '../../core/config.ts'
import type { Services } from '../../core/services.ts'
import { sessionCookieName } from './auth.ts'

/** Set-Cookie for a session: HttpOnly, SameSite=Lax, Path=/, Secure and __Host- except on plain-HTTP localhost. */
export function sessionCookie(config: Config, token: string, expiresAt: Date): string {
  const secure = config.auth.secureCookies
  const parts = [
    `${sessionCookieName(secure)}=${encodeURIComponent(token)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Expires=${expiresAt.toUTCString()}`,
  ]
  if (secure) parts.push('Secure')
  return parts.join('; ')
}

export function clearedSessionCookie(config: Config): string {
  const secure = config.auth.secureCookies
  return `${sessionCookieName(secure)}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0${secure ? '; Secure' : ''}`
}

/** Opens a session after a successful sign-in, audits it, and returns the token and its cookie. */
export async function signIn(
  s: Services,
  input: { userId: string; method: 'otp' | 'passkey' | 'desk'; ip: string; userAgent: string | null },
) {
  const session = await createSession(
    s.db,
    { userId: input.userId, ip: input.ip, userAgent: input.userAgent },
    { idleMs: s.config.auth.sessionIdleMs, absoluteMs: s.config.auth.sessionAbsoluteMs },
  )
  await appendAudit(s.db, {
    action: 'auth.sign_in',
    actorUserId: input.userId,
    ip: input.ip,
    data: { method: input.method, sessionId: session.id },
  })
  return { ...session, cookie: sessionCookie(s.config, session.token, session.expiresAt) }
}
