import type { Bus } from '../core/bus/index.ts'
import type { Config } from '../core/config.ts'
import type { Logger } from '../core/log.ts'
import { checkReadiness } from '../core/readiness.ts'
import type { DatabaseHandle } from '../db/client.ts'

export interface RealtimeDeps {
  config: Config
  database: DatabaseHandle
  bus: Bus
  log: Logger
}

const json = (body: unknown, status = 200) => Response.json(body, { status })

/**
 * The realtime process: its own Bun.serve. It answers the same /api/health and /api/ready as
 * every process; the WebSocket topics and the vote batch writer are added by the vote-path issue (#5).
 */
export function startRealtimeServer(deps: RealtimeDeps, port = deps.config.realtimePort) {
  const server = Bun.serve({
    port,
    hostname: deps.config.host,
    routes: {
      '/api/health': () => json({ status: 'ok' }),
      '/api/ready': async () => {
        const report = await checkReadiness(deps)
        return json(report, report.ready ? 200 : 503)
      },
    },
    fetch: (request) =>
      json(
        {
          error: {
            code: 'not_found',
            message: `No route for ${request.method} ${new URL(request.url).pathname}`,
          },
        },
        404,
      ),
  })
  deps.log.info('realtime listening', { url: `http://${server.hostname}:${server.port}` })
  return { server, stop: () => server.stop(true) }
}

if (import.meta.main) {
  const { runProcess } = await import('../core/process.ts')
  await runProcess('realtime', async ({ config, log, platform }) => {
    const realtime = startRealtimeServer({ config, log, database: platform.database, bus: platform.bus })
    return realtime.stop
  })
}
