import { Elysia } from 'elysia'
import { type AuthCache, createAuthCache } from '../../core/auth/auth-cache.ts'
import { createMailer, type Mailer } from '../../core/auth/mailer.ts'
import { createRateLimiter, type RateLimiter } from '../../core/auth/rate-limit.ts'
import type { SignInLimiters } from '../../core/auth/sign-in-limits.ts'
import type { Bus } from '../../core/bus/index.ts'
import { type ChangeNotifier, createChangeNotifier } from '../../core/changes/notifier.ts'
import type { Config } from '../../core/config.ts'
import type { Logger } from '../../core/log.ts'
import { createProcessRegistry, type Registry } from '../../core/metrics.ts'
import { createVoteQueue } from '../../core/votes/queue.ts'
import { createVoteService, type VoteService } from '../../core/votes/service.ts'
import type { Database, DatabaseHandle } from '../../db/client.ts'

/** What route handlers may use. Built once per process (createServices) and given to `createApp`. */
export interface Services {
  config: Config
  /** Always set: SECRET_KEY, or the key the embedded default keeps in DATA_DIR. */
  secretKey: Uint8Array
  database: DatabaseHandle
  db: Database
  bus: Bus
  log: Logger
  mailer: Mailer
  /** Prometheus metrics of this process (GET /metrics). */
  metrics: Registry
  limiters: SignInLimiters & { webhook: RateLimiter }
  /** Validated sessions and memberships, cached per process (see core/auth/auth-cache.ts). */
  authCache: AuthCache
  /** The high-throughput vote path (core/votes): cast, open and close through the queue. */
  votes: VoteService
  /**
   * The process's change port, handed to the mutating core services in their deps (`assemblyDeps(s)`,
   * `{ changes: s.changes }`): they announce what they changed after commit, so routes never do.
   */
  changes: ChangeNotifier
}

export function createServices(input: {
  config: Config
  secretKey: Uint8Array
  database: DatabaseHandle
  bus: Bus
  log: Logger
  mailer?: Mailer
}): Services {
  const { config, bus } = input
  const window = config.auth.rateLimitWindowMs
  const db = input.database.db
  const metrics = createProcessRegistry('functions')
  const changes = createChangeNotifier({ bus })
  const votesAccepted = metrics.counter(
    'votes_accepted_total',
    'Ballots accepted by the vote path, by channel',
  )
  return {
    ...input,
    db,
    metrics,
    changes,
    authCache: createAuthCache({ db, bus }),
    votes: createVoteService({
      db,
      bus,
      queue: createVoteQueue(bus),
      log: input.log,
      onAccepted: (count, channel) => votesAccepted.inc({ channel }, count),
      changes,
    }),
    mailer: input.mailer ?? createMailer(config.mail, input.log),
    limiters: {
      authEmail: createRateLimiter(bus, {
        name: 'auth-email',
        limit: config.auth.rateLimitPerEmail,
        windowMs: window,
      }),
      authCodes: createRateLimiter(bus, {
        name: 'auth-codes',
        limit: config.auth.rateLimitCodesPerEmail,
        windowMs: window,
      }),
      authIp: createRateLimiter(bus, {
        name: 'auth-ip',
        limit: config.auth.rateLimitPerIp,
        windowMs: window,
      }),
      guessEmail: createRateLimiter(bus, {
        name: 'auth-guess-email',
        limit: config.auth.guessLimitPerEmail,
        windowMs: window,
      }),
      guessIp: createRateLimiter(bus, {
        name: 'auth-guess-ip',
        limit: config.auth.guessLimitPerIp,
        windowMs: window,
      }),
      webhook: createRateLimiter(bus, { name: 'webhook', limit: 600, windowMs: 60_000 }),
    },
  }
}

/**
 * A typed slot for the services: route files `.use(services)` to see `services` in their handlers;
 * the app decorates the real value before mounting any route (see createApp).
 */
export const services = new Elysia({ name: 'services' }).decorate('services', null as unknown as Services)
