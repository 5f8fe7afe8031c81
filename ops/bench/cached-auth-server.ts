/**
 * PROTOTYPE, benchmark only (not a route of the application): the vote route of
 * functions/organizations/[organizationId]/motions/[motionId]/votes.post.ts, same app (createApp), same
 * vote service (`services.votes.cast`), but with the two PostgreSQL look-ups of the auth plugin cached
 * in process, to measure what the fix proposed in README.md ("What bounds the HTTP vote path") buys:
 *
 * - sessions: token → validated session for up to SESSION_TTL_MS (a real version must also drop the
 *   entry on sign-out / sign-out-everywhere / user disabled, announced on the bus, and re-validate
 *   the absolute and idle expiry from the cached row, which this prototype does);
 * - memberships: (user, PH) → roles and person ids, valid while the PH's voting-facts version
 *   (`votes:facts-version:<org>`, bumped by the change port (core/changes) on every change of ownership, proxies,
 *   attendance…) is unchanged, so it is invalidated exactly like the vote service's facts cache.
 *
 * With both cached, a vote costs no PostgreSQL round trip: one Redis GET (facts version, shared by the
 * two caches here it is read twice, as the vote service reads it again) and the accept script.
 * Env as for the functions process; FUNCTIONS_PORT is the port. `bun ops/bench/cached-auth-server.ts`
 */
import { Elysia, t } from 'elysia'
import { type Membership, resolveMembership } from '../../core/auth/membership.ts'
import { type ValidSession, validateSession } from '../../core/auth/sessions.ts'
import { AppError } from '../../core/errors.ts'
import { runProcess } from '../../core/process.ts'
import { processServices, type Services } from '../../core/services.ts'
import { createApp } from '../../functions/_lib/app.ts'
import { services as servicesSlot } from '../../functions/_lib/services.ts'
import { loadRoutes } from '../../functions/_router.ts'
import { functionsDir } from '../../functions/_server.ts'

const SESSION_TTL_MS = 30_000
const Uuid = t.String({ format: 'uuid' })

interface CachedSession {
  valid: ValidSession
  until: number
}

const sessionCache = new Map<string, CachedSession>()
const membershipCache = new Map<string, { version: string; membership: Membership }>()
const authenticated = new WeakMap<Request, { valid: ValidSession; membership: Membership }>()

async function cachedSession(s: Services, token: string): Promise<ValidSession | null> {
  const now = Date.now()
  const cached = sessionCache.get(token)
  if (cached && cached.until > now && cached.valid.session.expiresAt.getTime() > now) return cached.valid
  const valid = await validateSession(s.db, token, {
    idleMs: s.config.auth.sessionIdleMs,
    absoluteMs: s.config.auth.sessionAbsoluteMs,
  })
  if (valid) sessionCache.set(token, { valid, until: now + SESSION_TTL_MS })
  else sessionCache.delete(token)
  return valid
}

async function cachedMembership(s: Services, userId: string, organizationId: string): Promise<Membership> {
  const version = (await s.bus.get(`votes:facts-version:${organizationId}`)) ?? '0'
  const key = `${userId}:${organizationId}`
  const cached = membershipCache.get(key)
  if (cached?.version === version) return cached.membership
  const membership = await resolveMembership(s.db, userId, organizationId)
  membershipCache.set(key, { version, membership })
  return membership
}

const cachedAuth = new Elysia({ name: 'bench-cached-auth' }).use(servicesSlot).macro({
  memberCached: (enabled: boolean) => ({
    async transform({ services: s, request, params }) {
      if (!enabled) return
      const token = request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1]
      if (!token) throw new AppError(401, 'unauthenticated', 'Sign in first')
      const valid = await cachedSession(s, token)
      if (!valid) throw new AppError(401, 'unauthenticated', 'The session is not valid or has expired')
      const organizationId = (params as Record<string, string | undefined>).organizationId ?? ''
      const membership = await cachedMembership(s, valid.user.id, organizationId)
      if (membership.roles.length === 0) throw new AppError(404, 'not_found', 'Organization not found')
      authenticated.set(request, { valid, membership })
    },
    resolve({ request }) {
      const found = authenticated.get(request)
      if (!found) throw new AppError(401, 'unauthenticated', 'Sign in first')
      return { user: found.valid.user, membership: found.membership }
    },
  }),
})

const vote = new Elysia().use(cachedAuth).post(
  '',
  async ({ services: s, params, body, user, membership }) => {
    const accepted = await s.votes.cast({
      ...params,
      ballots: body.ballots,
      actor: { userId: user.id, personId: membership.personIds[0] ?? null },
      channel: body.channel ?? 'web',
    })
    return { motionId: accepted.motionId, votes: accepted.votes }
  },
  {
    memberCached: true,
    params: t.Object({ organizationId: Uuid, motionId: Uuid }),
    body: t.Object(
      {
        ballots: t.Array(
          t.Object({ unitId: Uuid, optionKeys: t.Array(t.String({ maxLength: 64 }), { maxItems: 20 }) }),
          { minItems: 1, maxItems: 500 },
        ),
        channel: t.Optional(t.Union([t.Literal('web'), t.Literal('api')])),
      },
      { additionalProperties: false },
    ),
  },
)

await runProcess('bench-cached-auth', async (context) => {
  const { config } = context
  const services = processServices(context)
  const routes = [
    ...(await loadRoutes(functionsDir, ['health.get.ts'])),
    {
      file: 'ops/bench/cached-auth-server.ts',
      method: 'POST' as const,
      path: '/organizations/:organizationId/motions/:motionId/votes',
      handler: vote,
    },
  ]
  const app = createApp({ services, routes })
  app.listen({ port: config.functionsPort, hostname: config.host })
  return () => app.stop(true)
})
