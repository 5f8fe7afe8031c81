import type { Database, DatabaseHandle } from '../db/client.ts'
import { type AuthCache, createAuthCache } from './auth/auth-cache.ts'
import { createMailer, type Mailer } from './auth/mailer.ts'
import { createRateLimiter, type RateLimiter } from './auth/rate-limit.ts'
import type { SignInLimiters } from './auth/sign-in-limits.ts'
import type { Bus } from './bus/index.ts'
import { type ChangeNotifier, createChangeNotifier } from './changes/notifier.ts'
import type { Config } from './config.ts'
import type { Logger } from './log.ts'
import { createProcessRegistry, type Registry } from './metrics.ts'
import type { ProcessContext } from './process.ts'
import { createVoteQueue } from './votes/queue.ts'
import { createVoteService, type VoteService } from './votes/service.ts'

/**
 * The services container: what route handlers, the bots and the chat engine (core/chat) use. Built once
 * per process (createServices) and given to `createApp` or the bots app.
 */
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
  /** Which process's metrics these are (`process_info`); the functions process by default. */
  processName?: 'functions' | 'bots'
}): Services {
  const { config, bus, processName = 'functions', ...rest } = input
  const window = config.auth.rateLimitWindowMs
  const db = input.database.db
  const metrics = createProcessRegistry(processName)
  const changes = createChangeNotifier({ bus })
  const votesAccepted = metrics.counter(
    'votes_accepted_total',
    'Ballots accepted by the vote path, by channel',
  )
  return {
    ...rest,
    config,
    bus,
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

/** The services of a process booted by `runProcess` (core/process.ts), from its platform. */
export function processServices(
  { config, secretKey, log, platform }: ProcessContext,
  processName: 'functions' | 'bots' = 'functions',
): Services {
  return createServices({
    config,
    secretKey,
    log,
    database: platform.database,
    bus: platform.bus,
    processName,
  })
}
