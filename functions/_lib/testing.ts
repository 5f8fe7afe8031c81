import { join } from 'node:path'
import type { Services } from '../../core/services.ts'
import { loadRoutes } from '../_router.ts'
import { createApp } from './app.ts'

export const functionsDir = join(import.meta.dir, '..')

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
