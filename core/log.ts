import type { LogLevel } from './config.ts'

const levels: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export type LogFields = Record<string, unknown>

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  child(fields: LogFields): Logger
}

function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error
  return { name: error.name, message: error.message, stack: error.stack }
}

/**
 * Structured JSON logs, one object per line. `write` is injectable so tests can capture lines.
 */
export function createLogger(
  options: { level?: LogLevel; base?: LogFields; write?: (line: string) => void } = {},
): Logger {
  const threshold = levels[options.level ?? 'info']
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`))
  const base = options.base ?? {}
  const log = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (levels[level] < threshold) return
    const entry: LogFields = { time: new Date().toISOString(), level, msg, ...base, ...fields }
    if ('error' in entry) entry.error = serializeError(entry.error)
    write(JSON.stringify(entry))
  }
  return {
    debug: (msg, fields) => log('debug', msg, fields),
    info: (msg, fields) => log('info', msg, fields),
    warn: (msg, fields) => log('warn', msg, fields),
    error: (msg, fields) => log('error', msg, fields),
    child: (fields) => createLogger({ ...options, base: { ...base, ...fields } }),
  }
}

/** A logger that drops everything, for tests that do not inspect logs. */
export const silentLogger: Logger = createLogger({ write: () => {} })
