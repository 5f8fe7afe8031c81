import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { memberships, users } from '../db/schema/index.ts'
import { createTestDatabase } from '../db/testing.ts'
import { createSession } from './auth/sessions.ts'
import { createTestBus } from './bus/testing.ts'
import { loadConfig } from './config.ts'
import { silentLogger } from './log.ts'
import { createServices, type Services } from './services.ts'

/** Services with a `close` that removes the test's own database, bus and data directory. */
export type TestServices = Services & { close(): Promise<void> }

/** Services on a database and bus of the test's own (real servers when the URLs are set). */
export async function createTestServices(env: Record<string, string> = {}): Promise<TestServices> {
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
