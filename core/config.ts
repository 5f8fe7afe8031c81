/**
 * Configuration from the environment, parsed and validated once at start-up.
 * A missing or malformed variable is reported in one line naming it (see `loadConfigOrExit`).
 */

import { DEFAULT_TRUSTED_PROXIES, type NetworkList, parseNetworkList } from './auth/networks.ts'

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`)
    this.name = 'ConfigError'
  }
}

export type AppEnv = 'development' | 'production' | 'test'
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface Config {
  env: AppEnv
  /** PostgreSQL URL; null means the embedded PGlite database under `dataDir`. */
  databaseUrl: string | null
  /** Redis URL; null means the in-process bus (single process only). */
  redisUrl: string | null
  dataDir: string
  host: string
  functionsPort: number
  realtimePort: number
  /**
   * WebSocket processes sharing REALTIME_PORT through SO_REUSEPORT (the kernel spreads connections
   * over them; they share Redis and PostgreSQL), so a VPS's cores all serve sockets. 1 by default.
   */
  realtimeProcesses: number
  /** Public base URL of the web client and API, used for links and allowed origins. */
  publicUrl: string
  /**
   * Origins whose pages may make cookie-authenticated changes and open the WebSocket: PUBLIC_URL's,
   * WEBAUTHN_ORIGINS, and in development without PUBLIC_URL both http://localhost:<port> and
   * http://127.0.0.1:<port>, so the address `bun start` prints works either way.
   */
  allowedOrigins: string[]
  logLevel: LogLevel
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number
  databasePoolSize: number
  /** Role the processes act as in PostgreSQL so row-level security applies ('' to disable). */
  databaseAppRole: string | null
  /**
   * Master secret (≥ 32 bytes, base64) from which the encryption key for stored third-party secrets
   * and the signing keys (check-in codes, tally links) are derived. null: only allowed outside
   * production, where the embedded default keeps a generated one in DATA_DIR.
   */
  secretKey: Uint8Array | null
  auth: AuthConfig
  mail: MailConfig
  votes: VotesConfig
  /** WebSocket URL browsers connect to (behind nginx: wss://<domain>/ws). */
  realtimePublicUrl: string
  bots: BotsConfig
}

/** The chat channels (bots/). A channel is null, i.e. off, when its credentials are absent. */
export interface BotsConfig {
  port: number
  /** Webhook requests allowed per minute and client address (Telegram and Meta send from few). */
  rateLimitPerMinute: number
  telegram: TelegramConfig | null
  whatsapp: WhatsAppConfig | null
  /** Optional OpenAI-compatible endpoint for free-form web chat questions; null: intents only. */
  llm: LlmConfig | null
}

export interface TelegramConfig {
  token: string
  /** Checked against X-Telegram-Bot-Api-Secret-Token on every webhook call (required in webhook mode). */
  webhookSecret: string | null
  /** Bot API root (tests point it at a fake server); null: grammY's default, api.telegram.org. */
  apiRoot: string | null
  /** The bot's @username, for t.me deep links; grammY gets it without a getMe call. */
  username: string
  /** webhook (production default) or long polling (development default). */
  mode: 'webhook' | 'polling'
  /** Notifications per second to all chats, and the least time between two to one chat. */
  messagesPerSecond: number
  perChatIntervalMs: number
}

export interface WhatsAppConfig {
  accessToken: string
  appSecret: string
  verifyToken: string
  phoneNumberId: string
  /** Graph API base, version included (tests point it at a fake server). */
  graphUrl: string
  /** The business number in international form, for wa.me links; null: no link offered. */
  businessNumber: string | null
  messagesPerSecond: number
  /** Approved template names used outside the 24-hour window, by notification kind. */
  templates: {
    convened: string | null
    started: string | null
    motionOpened: string | null
    /** Notices, reminders, the summary of decisions and the acta: {{1}} PH, {{2}} assembly, {{3}} subject. */
    communication: string | null
  }
  templateLanguage: string
}

export interface LlmConfig {
  baseUrl: string
  apiKey: string | null
  model: string
  timeoutMs: number
}

export interface VotesConfig {
  batchSize: number
  batchWaitMs: number
  /** Pending entries older than this are taken over from a dead writer; above the slowest batch. */
  claimIdleMs: number
  /** Whether the realtime process also runs the batch writer. */
  writerInRealtime: boolean
}

export interface AuthConfig {
  /** Session expires after this long without use (sliding), ms. */
  sessionIdleMs: number
  /** Session expires this long after sign-in whatever the use, ms. */
  sessionAbsoluteMs: number
  /** One-time code validity, ms (at most 10 minutes). */
  otpTtlMs: number
  otpMaxAttempts: number
  /**
   * Sign-in limits per window (see README "Sign-in limits"): code requests for one address from one
   * client address; codes sent to one address from anywhere; sign-in requests per client address
   * (raised for `trustedNetworks`); wrong codes per address and per client address.
   */
  rateLimitPerEmail: number
  rateLimitCodesPerEmail: number
  rateLimitPerIp: number
  rateLimitPerTrustedIp: number
  guessLimitPerEmail: number
  guessLimitPerIp: number
  rateLimitWindowMs: number
  /** Proxies whose X-Forwarded-For is believed (nginx); everyone else's header is ignored. */
  trustedProxies: NetworkList
  /** Client networks (e.g. the venue's) that get the raised per-address ceiling. */
  trustedNetworks: NetworkList
  /** WebAuthn relying party: id (a registrable domain), display name and allowed origins. */
  rpId: string
  rpName: string
  origins: string[]
  /** Marks the session cookie Secure; off only for plain-HTTP localhost. */
  secureCookies: boolean
}

export interface MailConfig {
  /** smtp:// or smtps:// URL; null: codes go to the log and the dev mailbox (not in production). */
  smtpUrl: string | null
  from: string
}

type Env = Record<string, string | undefined>

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim()
  return value === '' ? undefined : value
}

function readEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = read(env, name)
  if (value === undefined) return fallback
  if (!allowed.includes(value as T)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${value}")`)
  }
  return value as T
}

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const value = read(env, name)
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value)) throw new ConfigError(name, `must be a whole number (got "${value}")`)
  const parsed = Number(value)
  if (parsed < min || parsed > max) throw new ConfigError(name, `must be between ${min} and ${max}`)
  return parsed
}

function readUrl(env: Env, name: string, protocols: string[]): string | null {
  const value = read(env, name)
  if (value === undefined) return null
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError(name, 'is not a valid URL')
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `must use ${protocols.map((p) => p.replace(':', '://')).join(' or ')}`)
  }
  return value
}

function readList(env: Env, name: string): string[] | null {
  const value = read(env, name)
  if (value === undefined) return null
  return value
    .split(',')
    .map((item) => item.trim().replace(/\/+$/, ''))
    .filter(Boolean)
}

/** A comma-separated list of addresses/CIDR ranges; "none" for an empty list. */
function readNetworks(env: Env, name: string, fallback: string[]): NetworkList {
  const value = read(env, name)
  const entries =
    value === undefined
      ? fallback
      : value.toLowerCase() === 'none'
        ? []
        : value
            .split(',')
            .map((item) => item.trim())
            .filter(Boolean)
  try {
    return parseNetworkList(entries)
  } catch (error) {
    throw new ConfigError(name, (error as Error).message)
  }
}

function readRole(env: Env, name: string, fallback: string): string | null {
  const value = env[name]
  if (value === undefined) return fallback
  if (value.trim() === '') return null
  if (!/^[a-z_][a-z0-9_]*$/.test(value.trim())) throw new ConfigError(name, 'must be a lower-case role name')
  return value.trim()
}

function readSecret(env: Env, name: string): Uint8Array | null {
  const value = read(env, name)
  if (value === undefined) return null
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(value)) throw new ConfigError(name, 'must be base64')
  const bytes = Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64')
  if (bytes.length < 32) throw new ConfigError(name, `must decode to at least 32 bytes (got ${bytes.length})`)
  return new Uint8Array(bytes)
}

/** Parses the environment into a Config. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const appEnv = readEnum<AppEnv>(
    env,
    'APP_ENV',
    ['development', 'production', 'test'],
    env.NODE_ENV === 'production' ? 'production' : 'development',
  )
  const functionsPort = readInt(env, 'FUNCTIONS_PORT', 3000, 0, 65535)
  const configuredPublicUrl = readUrl(env, 'PUBLIC_URL', ['http:', 'https:'])
  const publicUrl = configuredPublicUrl ?? `http://localhost:${functionsPort || 3000}`
  const databaseUrl = readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:'])
  const redisUrl = readUrl(env, 'REDIS_URL', ['redis:', 'rediss:'])
  if (appEnv === 'production' && databaseUrl === null) {
    throw new ConfigError('DATABASE_URL', 'is required when APP_ENV=production')
  }
  if (appEnv === 'production' && redisUrl === null) {
    throw new ConfigError('REDIS_URL', 'is required when APP_ENV=production')
  }
  const secretKey = readSecret(env, 'SECRET_KEY')
  if (appEnv === 'production' && secretKey === null) {
    throw new ConfigError('SECRET_KEY', 'is required when APP_ENV=production (32+ random bytes, base64)')
  }
  const smtpUrl = readUrl(env, 'SMTP_URL', ['smtp:', 'smtps:'])
  if (appEnv === 'production' && smtpUrl === null) {
    throw new ConfigError('SMTP_URL', 'is required when APP_ENV=production (sign-in codes are sent by email)')
  }
  const publicOrigin = new URL(publicUrl).origin
  const origins = readList(env, 'WEBAUTHN_ORIGINS') ?? [publicOrigin]
  for (const origin of origins) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) {
      throw new ConfigError('WEBAUTHN_ORIGINS', `"${origin}" must be an origin like https://host[:port]`)
    }
  }
  const localPort = functionsPort || 3000
  const allowedOrigins = [
    ...new Set([
      publicOrigin,
      ...origins,
      ...(appEnv === 'development' && configuredPublicUrl === null
        ? [`http://localhost:${localPort}`, `http://127.0.0.1:${localPort}`]
        : []),
    ]),
  ]
  const rpId = read(env, 'WEBAUTHN_RP_ID') ?? new URL(publicUrl).hostname
  const plainLocalhost = publicUrl.startsWith('http://') && ['localhost', '127.0.0.1'].includes(rpId)
  if (appEnv === 'production' && publicUrl.startsWith('http://') && !plainLocalhost) {
    throw new ConfigError('PUBLIC_URL', 'must use https:// when APP_ENV=production')
  }
  const minute = 60_000
  const auth: AuthConfig = {
    sessionIdleMs: readInt(env, 'SESSION_IDLE_DAYS', 14, 1, 90) * 1440 * minute,
    sessionAbsoluteMs: readInt(env, 'SESSION_ABSOLUTE_DAYS', 60, 1, 365) * 1440 * minute,
    otpTtlMs: readInt(env, 'OTP_TTL_MINUTES', 5, 1, 10) * minute,
    otpMaxAttempts: 5,
    rateLimitPerEmail: readInt(env, 'RATE_LIMIT_AUTH_PER_EMAIL', 5, 1, 1000),
    rateLimitCodesPerEmail: readInt(env, 'RATE_LIMIT_AUTH_CODES_PER_EMAIL', 20, 1, 1000),
    rateLimitPerIp: readInt(env, 'RATE_LIMIT_AUTH_PER_IP', 3000, 1, 1_000_000),
    rateLimitPerTrustedIp: readInt(env, 'RATE_LIMIT_AUTH_PER_TRUSTED_IP', 30000, 1, 10_000_000),
    guessLimitPerEmail: readInt(env, 'RATE_LIMIT_AUTH_GUESSES_PER_EMAIL', 10, 1, 1000),
    guessLimitPerIp: readInt(env, 'RATE_LIMIT_AUTH_GUESSES_PER_IP', 300, 1, 1_000_000),
    rateLimitWindowMs: readInt(env, 'RATE_LIMIT_WINDOW_SECONDS', 900, 1, 86400) * 1000,
    trustedProxies: readNetworks(env, 'TRUSTED_PROXIES', DEFAULT_TRUSTED_PROXIES),
    trustedNetworks: readNetworks(env, 'AUTH_TRUSTED_NETWORKS', []),
    rpId,
    rpName: read(env, 'WEBAUTHN_RP_NAME') ?? 'Assembly 2.0',
    origins,
    secureCookies: !plainLocalhost,
  }
  const realtimePort = readInt(env, 'REALTIME_PORT', 3001, 0, 65535)
  const realtimeProcesses = readInt(env, 'REALTIME_PROCESSES', 1, 1, 16)
  if (realtimeProcesses > 1 && (databaseUrl === null || redisUrl === null)) {
    throw new ConfigError(
      'REALTIME_PROCESSES',
      'more than 1 needs DATABASE_URL and REDIS_URL (the embedded database and bus serve one process)',
    )
  }
  // Behind nginx (an https PUBLIC_URL) sockets use the same origin's /ws: the realtime port is not
  // published and ws: from an https page is mixed content. Without TLS (development) the port is direct.
  const publicHost = new URL(publicUrl).host
  const realtimePublicUrl =
    readUrl(env, 'REALTIME_PUBLIC_URL', ['ws:', 'wss:']) ??
    (publicUrl.startsWith('https:')
      ? `wss://${publicHost}/ws`
      : `ws://${new URL(publicUrl).hostname}:${realtimePort}/ws`)
  return Object.freeze({
    env: appEnv,
    secretKey,
    realtimePublicUrl,
    votes: Object.freeze({
      batchSize: readInt(env, 'VOTE_BATCH_SIZE', 1000, 1, 5000),
      batchWaitMs: readInt(env, 'VOTE_BATCH_WAIT_MS', 20, 0, 5000),
      claimIdleMs: readInt(env, 'VOTE_CLAIM_IDLE_MS', 30_000, 100, 3_600_000),
      writerInRealtime: readEnum(env, 'VOTE_WRITER_IN_REALTIME', ['true', 'false'], 'true') === 'true',
    }),
    auth: Object.freeze(auth),
    mail: Object.freeze({ smtpUrl, from: read(env, 'MAIL_FROM') ?? `Assembly 2.0 <no-reply@${rpId}>` }),
    databaseUrl,
    redisUrl,
    realtimeProcesses,
    dataDir: read(env, 'DATA_DIR') ?? './data',
    host: read(env, 'HOST') ?? '127.0.0.1',
    functionsPort,
    realtimePort,
    publicUrl: publicUrl.replace(/\/+$/, ''),
    allowedOrigins,
    logLevel: readEnum<LogLevel>(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'], 'info'),
    bodyLimitBytes: readInt(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    databasePoolSize: readInt(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
    databaseAppRole: readRole(env, 'DATABASE_APP_ROLE', 'assembly_app'),
    bots: loadBotsConfig(env, appEnv),
  })
}

const TELEGRAM_TOKEN = /^(\d+):[A-Za-z0-9_-]{20,}$/

function loadTelegramConfig(env: Env, appEnv: AppEnv): TelegramConfig | null {
  const token = read(env, 'TELEGRAM_BOT_TOKEN')
  if (token === undefined) return null
  if (!TELEGRAM_TOKEN.test(token))
    throw new ConfigError('TELEGRAM_BOT_TOKEN', 'must look like 123456:ABC… (from @BotFather)')
  const mode = readEnum(
    env,
    'TELEGRAM_MODE',
    ['webhook', 'polling'],
    appEnv === 'production' ? 'webhook' : 'polling',
  )
  const webhookSecret = read(env, 'TELEGRAM_WEBHOOK_SECRET') ?? null
  if (webhookSecret !== null && !/^[A-Za-z0-9_-]{16,256}$/.test(webhookSecret)) {
    throw new ConfigError('TELEGRAM_WEBHOOK_SECRET', 'must be 16–256 characters of A-Z, a-z, 0-9, _ and -')
  }
  if (mode === 'webhook' && webhookSecret === null) {
    throw new ConfigError('TELEGRAM_WEBHOOK_SECRET', 'is required when the Telegram bot runs by webhook')
  }
  const username = (read(env, 'TELEGRAM_BOT_USERNAME') ?? 'assembly_bot').replace(/^@/, '')
  if (!/^[A-Za-z0-9_]{3,64}$/.test(username))
    throw new ConfigError('TELEGRAM_BOT_USERNAME', 'is not a bot username')
  return Object.freeze({
    token,
    webhookSecret,
    apiRoot: readUrl(env, 'TELEGRAM_API_ROOT', ['http:', 'https:'])?.replace(/\/+$/, '') ?? null,
    username,
    mode,
    messagesPerSecond: readInt(env, 'TELEGRAM_MESSAGES_PER_SECOND', 25, 1, 30),
    perChatIntervalMs: 1000,
  })
}

const WHATSAPP_REQUIRED = [
  'WHATSAPP_ACCESS_TOKEN',
  'WHATSAPP_APP_SECRET',
  'WHATSAPP_VERIFY_TOKEN',
  'WHATSAPP_PHONE_NUMBER_ID',
] as const

function loadWhatsAppConfig(env: Env): WhatsAppConfig | null {
  const given = WHATSAPP_REQUIRED.filter((name) => read(env, name) !== undefined)
  if (given.length === 0) return null
  const missing = WHATSAPP_REQUIRED.find((name) => read(env, name) === undefined)
  if (missing) throw new ConfigError(missing, `is required once ${given[0]} is set (WhatsApp needs all four)`)
  const phoneNumberId = read(env, 'WHATSAPP_PHONE_NUMBER_ID')!
  if (!/^\d{5,20}$/.test(phoneNumberId))
    throw new ConfigError('WHATSAPP_PHONE_NUMBER_ID', 'must be the numeric id')
  const businessNumber = read(env, 'WHATSAPP_BUSINESS_NUMBER')?.replace(/[\s+()-]/g, '') ?? null
  if (businessNumber !== null && !/^\d{6,15}$/.test(businessNumber)) {
    throw new ConfigError('WHATSAPP_BUSINESS_NUMBER', 'must be a phone number in international form')
  }
  return Object.freeze({
    accessToken: read(env, 'WHATSAPP_ACCESS_TOKEN')!,
    appSecret: read(env, 'WHATSAPP_APP_SECRET')!,
    verifyToken: read(env, 'WHATSAPP_VERIFY_TOKEN')!,
    phoneNumberId,
    graphUrl: (
      readUrl(env, 'WHATSAPP_GRAPH_URL', ['http:', 'https:']) ?? 'https://graph.facebook.com/v21.0'
    ).replace(/\/+$/, ''),
    businessNumber,
    messagesPerSecond: readInt(env, 'WHATSAPP_MESSAGES_PER_SECOND', 20, 1, 1000),
    templates: Object.freeze({
      convened: read(env, 'WHATSAPP_TEMPLATE_CONVENED') ?? null,
      started: read(env, 'WHATSAPP_TEMPLATE_STARTED') ?? null,
      motionOpened: read(env, 'WHATSAPP_TEMPLATE_MOTION_OPENED') ?? null,
      communication: read(env, 'WHATSAPP_TEMPLATE_COMMUNICATION') ?? null,
    }),
    templateLanguage: read(env, 'WHATSAPP_TEMPLATE_LANGUAGE') ?? 'es',
  })
}

function loadLlmConfig(env: Env): LlmConfig | null {
  const baseUrl = readUrl(env, 'LLM_BASE_URL', ['http:', 'https:'])
  if (baseUrl === null) return null
  return Object.freeze({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    apiKey: read(env, 'LLM_API_KEY') ?? null,
    model: read(env, 'LLM_MODEL') ?? 'gpt-4o-mini',
    timeoutMs: readInt(env, 'LLM_TIMEOUT_MS', 8000, 100, 120_000),
  })
}

function loadBotsConfig(env: Env, appEnv: AppEnv): BotsConfig {
  return Object.freeze({
    port: readInt(env, 'BOTS_PORT', 3002, 0, 65535),
    rateLimitPerMinute: readInt(env, 'BOTS_RATE_LIMIT_PER_MINUTE', 3000, 1, 1_000_000),
    telegram: loadTelegramConfig(env, appEnv),
    whatsapp: loadWhatsAppConfig(env),
    llm: loadLlmConfig(env),
  })
}

/** For process entry points: the config, or one line on stderr naming the variable and exit 1. */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    console.error(`Configuration error: ${error.message}`)
    process.exit(1)
  }
}
