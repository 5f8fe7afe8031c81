import { join } from 'node:path'
import { type DatabaseHandle, openDatabase } from '../db/client.ts'
import { type Bus, openBus } from './bus/index.ts'
import type { Config } from './config.ts'
import type { Logger } from './log.ts'

export interface Platform {
  database: DatabaseHandle
  bus: Bus
  close(): Promise<void>
}

/**
 * Opens the database and the bus a process runs on: PostgreSQL and Redis when their URLs are set,
 * otherwise PGlite under DATA_DIR and the in-process bus (the embedded default).
 */
export async function openPlatform(config: Config, log: Logger): Promise<Platform> {
  const database = await openDatabase({
    url: config.databaseUrl,
    pgliteDir: join(config.dataDir, 'pglite'),
    poolSize: config.databasePoolSize,
    appRole: config.databaseAppRole,
  })
  let lastBusError = 0
  const bus = openBus({
    url: config.redisUrl,
    onError: (error) => {
      // ioredis retries on its own; log at most every 5 s so an outage does not flood the log.
      if (Date.now() - lastBusError < 5000) return
      lastBusError = Date.now()
      log.warn('redis connection error', { error: error.message })
    },
  })
  log.info('platform opened', { database: database.kind, bus: bus.kind })
  return {
    database,
    bus,
    close: async () => {
      await bus.close()
      await database.close()
    },
  }
}
