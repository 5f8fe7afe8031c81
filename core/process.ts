import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Config, loadConfigOrExit } from './config.ts'
import { createLogger, type Logger } from './log.ts'
import { openPlatform, type Platform } from './platform.ts'

export interface ProcessContext {
  config: Config
  /** SECRET_KEY, or outside production a key generated once and kept in DATA_DIR/secret.key. */
  secretKey: Uint8Array
  log: Logger
  platform: Platform
}

/** The configured secret, else (never in production: the config refuses) one kept under DATA_DIR. */
export async function resolveSecretKey(config: Config, log: Logger): Promise<Uint8Array> {
  if (config.secretKey) return config.secretKey
  const file = join(config.dataDir, 'secret.key')
  if (existsSync(file)) return new Uint8Array(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64'))
  mkdirSync(config.dataDir, { recursive: true })
  const key = crypto.getRandomValues(new Uint8Array(32))
  writeFileSync(file, Buffer.from(key).toString('base64'), { mode: 0o600 })
  log.warn('SECRET_KEY not set: generated one for this installation', { file })
  return key
}

/**
 * Boots one process: validated config (exit 1 naming the bad variable), JSON logger, database and
 * bus; runs `start`, and on SIGINT/SIGTERM calls the stop function it returned, then closes the platform.
 */
export async function runProcess(
  name: string,
  start: (context: ProcessContext) => Promise<() => unknown>,
): Promise<void> {
  const config = loadConfigOrExit()
  const log = createLogger({ level: config.logLevel, base: { process: name } })
  const platform = await openPlatform(config, log)
  const secretKey = await resolveSecretKey(config, log)
  const stop = await start({ config, secretKey, log, platform })
  let stopping = false
  const shutdown = async (signal: string) => {
    if (stopping) return
    stopping = true
    log.info('shutting down', { signal })
    await stop()
    await platform.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
}
