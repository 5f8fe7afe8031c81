import { type Config, loadConfigOrExit } from './config.ts'
import { createLogger, type Logger } from './log.ts'
import { openPlatform, type Platform } from './platform.ts'

export interface ProcessContext {
  config: Config
  log: Logger
  platform: Platform
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
  const stop = await start({ config, log, platform })
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
