import { Elysia } from 'elysia'
import type { Membership, PhRole } from '../../core/auth/membership.ts'
import type { SessionUser, ValidSession } from '../../core/auth/sessions.ts'
import { isAllowedOrigin, sessionCookieOf } from '../../core/edge.ts'
import { AppError } from '../../core/errors.ts'
import type { Services } from '../../core/services.ts'
import { services } from './services.ts'

/**
 * Who may call a route:
 * - `user`: any signed-in user;
 * - `platform-admin`: the operator of the installation;
 * - `ph-admin`, `checkin-staff`, `member`: a role in the PH named by the route's `:organizationId`
 *   (a PH admin also passes `checkin-staff`; owners, proxy holders and staff are all `member`);
 * - `voter`: a `member` whose membership is taken as this process holds it, without reading the PH's
 *   membership version; only for the vote route, whose queue checks that version when it appends
 *   (core/votes/cast-as-member.ts), so the vote costs one round trip to Redis.
 */
export type AuthLevel = 'user' | 'platform-admin' | 'ph-admin' | 'checkin-staff' | 'member' | 'voter'

export type { Membership, PhRole } from '../../core/auth/membership.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export { clientIp, sessionCookieName } from '../../core/edge.ts'

function allows(level: AuthLevel, roles: PhRole[]): boolean {
  if (level === 'ph-admin') return roles.includes('ph_admin')
  if (level === 'checkin-staff') return roles.includes('ph_admin') || roles.includes('checkin_staff')
  return roles.length > 0
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

type Authenticated = {
  user: SessionUser
  session: ValidSession['session']
  membership: Membership | null
  /** The PH's membership version `membership` was read at. */
  membershipVersion?: string
}

/** Authenticates and authorizes a request; throws AppError (401/403/404) when it may not proceed. */
async function authenticate(
  s: Services,
  request: Request,
  params: Record<string, string | undefined> | undefined,
  level: AuthLevel,
): Promise<Authenticated> {
  const bearer = request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1]
  const cookieToken = sessionCookieOf(request, s.config)
  const token = bearer ?? cookieToken
  if (!token) throw new AppError(401, 'unauthenticated', 'Sign in first')
  if (!bearer && !SAFE_METHODS.has(request.method)) {
    const origin = request.headers.get('origin')
    if (!origin) {
      throw new AppError(403, 'csrf_rejected', 'Cross-site request refused: the Origin header is missing')
    }
    if (!isAllowedOrigin(origin, s.config)) {
      // Usually PUBLIC_URL not matching the address people open: say so to the operator and the page.
      s.log.warn('request refused: Origin does not match PUBLIC_URL', {
        expected: s.config.allowedOrigins,
        received: origin,
        path: new URL(request.url).pathname,
      })
      throw new AppError(
        403,
        'origin_mismatch',
        `This page's address (${origin}) is not the site's configured address (PUBLIC_URL)`,
      )
    }
  }
  const valid = await s.authCache.session(token, {
    idleMs: s.config.auth.sessionIdleMs,
    absoluteMs: s.config.auth.sessionAbsoluteMs,
  })
  if (!valid) throw new AppError(401, 'unauthenticated', 'The session is not valid or has expired')
  const { user, session } = valid
  if (level === 'user') return { user, session, membership: null }
  if (level === 'platform-admin') {
    if (!user.isPlatformAdmin) throw new AppError(403, 'forbidden', 'Platform administrators only')
    return { user, session, membership: null }
  }
  const organizationId = params?.organizationId
  // Same answer for "no such PH" and "not yours": other tenants' ids are never confirmed.
  const notFound = new AppError(404, 'not_found', 'Organization not found')
  if (!organizationId || !UUID.test(organizationId)) throw notFound
  const { membership, version } =
    level === 'voter'
      ? await s.authCache.heldMembership(user.id, organizationId)
      : await s.authCache.membershipNow(user.id, organizationId)
  if (membership.roles.length === 0) throw notFound
  if (!allows(level, membership.roles))
    throw new AppError(403, 'forbidden', 'Your role in this PH does not allow this')
  return { user, session, membership, membershipVersion: version }
}

/**
 * The signed-in user, or null for a browser without a valid session cookie (a signed-out visitor is
 * not an error). A presented Bearer token that is not valid is still a 401: API clients should know.
 */
export async function optionalUser(s: Services, request: Request): Promise<Authenticated | null> {
  try {
    return await authenticate(s, request, undefined, 'user')
  } catch (error) {
    const bearer = /^Bearer\s/i.test(request.headers.get('authorization') ?? '')
    if (error instanceof AppError && error.status === 401 && !bearer) return null
    throw error
  }
}

const authenticated = new WeakMap<Request, Authenticated>()

/**
 * The auth plugin. Routes opt in declaratively: `.get('', handler, { auth: 'ph-admin' })` and then
 * receive `user`, `session` and (for PH levels) `membership`. Sessions come from the
 * `Authorization: Bearer` header (API, bots) or the session cookie (browsers); a state-changing
 * request authenticated by cookie must carry an allowed `Origin` (CSRF). Authentication runs before
 * body validation, so anonymous callers learn nothing about a route's schema.
 */
export const auth = new Elysia({ name: 'auth' }).use(services).macro({
  auth: (level: AuthLevel) => ({
    async transform({ services: s, request, params }) {
      const found = await authenticate(
        s,
        request,
        params as Record<string, string | undefined> | undefined,
        level,
      )
      authenticated.set(request, found)
    },
    resolve({ request }) {
      const found = authenticated.get(request)
      if (!found) throw new AppError(401, 'unauthenticated', 'Sign in first')
      return {
        user: found.user,
        session: found.session,
        membership: found.membership,
        membershipVersion: found.membershipVersion,
      }
    },
  }),
})
