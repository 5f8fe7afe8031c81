import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSession } from '../../core/auth/sessions.ts'
import { createTestBus } from '../../core/bus/testing.ts'
import { loadConfig } from '../../core/config.ts'
import { silentLogger } from '../../core/log.ts'
import { memberships, users } from '../../db/schema/index.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { loadRoutes } from '../_router.ts'
import { createApp } from './app.ts'
import { createServices, type Services } from './services.ts'

export const functionsDir = join(import.meta.dir, '..')

/** Services on a database and bus of the test's own (real servers when the URLs are set). */
export async function createTestServices(
  env: Record<string, string> = {},
): Promise<Services & { close(): Promise<void> }> {
  const secretKey = crypto.getRandomValues(new Uint8Array(32))
  // Uploaded documents and other files go to a directory of the test's own, removed on close.
  const dataDir = mkdtempSync(join(tmpdir(), 'assembly-test-data-'))
  const config = loadConfig({
    APP_ENV: 'test',
    SECRET_KEY: Buffer.from(secretKey).toString('base64'),
    DATA_DIR: dataDir,
    ...env,
  })
  const database = await createTestDatabase({ appRole: config.databaseAppRole })
  const bus = createTestBus()
  return {
    ...createServices({ config, secretKey, database, bus, log: silentLogger }),
    close: async () => {
      await bus.close()
      await database.close()
      rmSync(dataDir, { recursive: true, force: true })
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

export interface TestUser {
  userId: string
  token: string
  /** `Authorization: Bearer …` for requests made as this user. */
  headers: Record<string, string>
}

/** Creates a user (optionally platform admin, with PH roles) and a session for it. */
export async function createTestUser(
  services: Services,
  options: {
    email?: string
    platformAdmin?: boolean
    roles?: { organizationId: string; role: 'ph_admin' | 'checkin_staff' }[]
  } = {},
): Promise<TestUser> {
  const email = options.email ?? `user-${crypto.randomUUID().slice(0, 8)}@example.com`
  const [user] = await services.db
    .insert(users)
    .values({ email, isPlatformAdmin: options.platformAdmin ?? false })
    .returning({ id: users.id })
  for (const role of options.roles ?? []) {
    await services.db.insert(memberships).values({ userId: user!.id, ...role })
  }
  const { token } = await createSession(
    services.db,
    { userId: user!.id },
    { idleMs: services.config.auth.sessionIdleMs, absoluteMs: services.config.auth.sessionAbsoluteMs },
  )
  return { userId: user!.id, token, headers: { authorization: `Bearer ${token}` } }
}
