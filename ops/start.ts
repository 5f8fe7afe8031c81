/**
 * `bun start`: every process in one. With no DATABASE_URL/REDIS_URL this is the embedded default:
 * PGlite under DATA_DIR (migrated and seeded with the demo PH on first start) and the in-process bus.
 * With the URLs set, the same code runs on PostgreSQL and Redis.
 */

import { startBotsServer } from '../bots/server.ts'
import { runProcess } from '../core/process.ts'
import { DEMO_ADMIN_EMAIL, DEMO_DESK_EMAIL, seedDemo } from '../db/seed.ts'
import { createServices } from '../functions/_lib/services.ts'
import { startFunctionsServer } from '../functions/_server.ts'
import { startRealtimeServer } from '../realtime/server.ts'

await runProcess('all-in-one', async ({ config, secretKey, log, platform }) => {
  const { database, bus } = platform
  await database.migrate()
  const embedded = database.kind === 'pglite'
  if (embedded || process.env.SEED_DEMO === 'true') {
    if (await seedDemo(database.db)) log.info('seeded the demo PH')
  }
  const services = createServices({ config, secretKey, log, database, bus })
  const functions = await startFunctionsServer({ services })
  const realtime = await startRealtimeServer({ config, secretKey, log, database, bus, votes: services.votes })
  const bots = await startBotsServer({ services })
  const base = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}`
  console.log(
    [
      '',
      `Assembly 2.0 is running (${embedded ? `embedded: PGlite in ${config.dataDir}, in-process bus` : 'PostgreSQL + Redis'})`,
      `  API        ${base}:${functions.server.port}/api`,
      `  API docs   ${base}:${functions.server.port}/api/docs`,
      `  PHs        ${base}:${functions.server.port}/api/organizations`,
      `  Bots       ${base}:${bots.server.port}/api/health`,
      `  Realtime   ws://${base.slice('http://'.length)}:${realtime.server.port}/ws`,
      ...(embedded
        ? [
            `  Sign in    ${DEMO_ADMIN_EMAIL} (administrator) or ${DEMO_DESK_EMAIL} (desk);`,
            `             without SMTP the codes appear at ${base}:${functions.server.port}/api/dev/mailbox`,
          ]
        : []),
      '',
    ].join('\n'),
  )
  return async () => {
    await functions.stop()
    await realtime.stop()
    await bots.stop()
  }
})
