/**
 * `bun start`: every process in one. With no DATABASE_URL/REDIS_URL this is the embedded default:
 * PGlite under DATA_DIR (migrated and seeded with the demo PH on first start) and the in-process bus.
 * With the URLs set, the same code runs on PostgreSQL and Redis. The web client is built first when
 * web/dist is missing or older than web/src, so the printed address opens a working site.
 */

import { startBotsServer } from '../bots/server.ts'
import { runProcess } from '../core/process.ts'
import { createServices } from '../core/services.ts'
import { DEMO_ADMIN_EMAIL, DEMO_DESK_EMAIL, seedDemo } from '../db/seed.ts'
import { startFunctionsServer } from '../functions/_server.ts'
import { startRealtimeServer } from '../realtime/server.ts'
import { ensureWebBuilt } from '../web/build.ts'

/**
 * Port 0 means "any free port", but the allowed origins and the WebSocket URL the pages use are derived
 * from the configured ports: pick the free ports now so the printed address works end to end.
 */
function pickFreePort(variable: string): void {
  if (process.env[variable] !== '0') return
  const probe = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response() })
  process.env[variable] = String(probe.port)
  probe.stop(true)
}
if (!process.env.PUBLIC_URL) pickFreePort('FUNCTIONS_PORT')
if (!process.env.REALTIME_PUBLIC_URL) pickFreePort('REALTIME_PORT')

await runProcess('all-in-one', async ({ config, secretKey, log, platform }) => {
  const { database, bus } = platform
  await database.migrate()
  const embedded = database.kind === 'pglite'
  if (embedded || process.env.SEED_DEMO === 'true') {
    if (await seedDemo(database.db)) log.info('seeded the demo PH')
  }
  const web = await ensureWebBuilt()
  if (web.built) log.info('built the web client', { ms: web.ms })
  const services = createServices({ config, secretKey, log, database, bus })
  const functions = await startFunctionsServer({ services })
  const realtime = await startRealtimeServer({ config, secretKey, log, database, bus, votes: services.votes })
  const bots = await startBotsServer({ services })
  const local = ['127.0.0.1', '0.0.0.0', '::', '::1'].includes(config.host) ? 'localhost' : config.host
  const base = `http://${local}:${functions.server.port}`
  // The address to open: PUBLIC_URL when set; otherwise localhost (passkeys need a name, not an IP).
  const open = process.env.PUBLIC_URL ? config.publicUrl : base
  console.log(
    [
      '',
      `Open ${open}/ in your browser`,
      ...(embedded
        ? [
            `  Sign in    ${DEMO_ADMIN_EMAIL} (administrator) or ${DEMO_DESK_EMAIL} (desk);`,
            `             without SMTP the codes appear at ${base}/api/dev/mailbox`,
          ]
        : []),
      `Assembly 2.0 is running (${embedded ? `embedded: PGlite in ${config.dataDir}, in-process bus` : 'PostgreSQL + Redis'})`,
      `  API        ${base}/api`,
      `  API docs   ${base}/api/docs`,
      `  PHs        ${base}/api/organizations`,
      `  Bots       http://${local}:${bots.server.port}/api/health`,
      `  Realtime   ws://${local}:${realtime.server.port}/ws`,
      '',
    ].join('\n'),
  )
  return async () => {
    await functions.stop()
    await realtime.stop()
    await bots.stop()
  }
})
