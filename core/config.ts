/**
 * Configuration from the environment, parsed and validated once at start-up.
 * A missing or malformed variable is reported in one line naming it (see `loadConfigOrExit`).
 */

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
  /** Public base URL of the web client and API, used for links and allowed origins. */
  publicUrl: string
  logLevel: LogLevel
  /** Largest accepted request body, in bytes. */
  bodyLimitBytes: number
  databasePoolSize: number
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

/** Parses the environment into a Config. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const appEnv = readEnum<AppEnv>(
    env,
    'APP_ENV',
    ['development', 'production', 'test'],
    env.NODE_ENV === 'production' ? 'production' : 'development',
  )
  const functionsPort = readInt(env, 'FUNCTIONS_PORT', 3000, 0, 65535)
  const publicUrl =
    readUrl(env, 'PUBLIC_URL', ['http:', 'https:']) ?? `http://localhost:${functionsPort || 3000}`
  const databaseUrl = readUrl(env, 'DATABASE_URL', ['postgres:', 'postgresql:'])
  const redisUrl = readUrl(env, 'REDIS_URL', ['redis:', 'rediss:'])
  if (appEnv === 'production' && databaseUrl === null) {
    throw new ConfigError('DATABASE_URL', 'is required when APP_ENV=production')
  }
  if (appEnv === 'production' && redisUrl === null) {
    throw new ConfigError('REDIS_URL', 'is required when APP_ENV=production')
  }
  return Object.freeze({
    env: appEnv,
    databaseUrl,
    redisUrl,
    dataDir: read(env, 'DATA_DIR') ?? './data',
    host: read(env, 'HOST') ?? '127.0.0.1',
    functionsPort,
    realtimePort: readInt(env, 'REALTIME_PORT', 3001, 0, 65535),
    publicUrl: publicUrl.replace(/\/+$/, ''),
    logLevel: readEnum<LogLevel>(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'], 'info'),
    bodyLimitBytes: readInt(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
    databasePoolSize: readInt(env, 'DATABASE_POOL_SIZE', 10, 1, 200),
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
