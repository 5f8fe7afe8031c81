import { join } from 'node:path'
import { createTestBus } from '../../core/bus/testing.ts'
import { loadConfig } from '../../core/config.ts'
import { silentLogger } from '../../core/log.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { loadRoutes } from '../_router.ts'
import { createApp } from './app.ts'
import type { Services } from './services.ts'

export const functionsDir = join(import.meta.dir, '..')

/** Services on a database and bus of the test's own (real servers when the URLs are set). */
export async function createTestServices(
  env: Record<string, string> = {},
): Promise<Services & { close(): Promise<void> }> {
  const config = loadConfig({ APP_ENV: 'test', ...env })
  const database = await createTestDatabase()
  const bus = createTestBus()
  return {
    config,
    database,
    db: database.db,
    bus,
    log: silentLogger,
    close: async () => {
      await bus.close()
      await database.close()
    },
  }
}

/** The full functions app (every route file) on the given services; use with `app.handle(...)`. */
export async function createTestApp(services: Services) {
  return createApp({ services, routes: await loadRoutes(functionsDir) })
}

/** Builds a JSON request against the in-memory app. */
export function jsonRequest(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const init: RequestInit = { method, headers: { ...headers } }
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body)
    ;(init.headers as Record<string, string>)['content-type'] = 'application/json'
  }
  return new Request(`http://localhost${path}`, init)
}
