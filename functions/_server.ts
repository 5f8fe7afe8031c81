import type { Config } from '../core/config.ts'
import type { Services } from '../core/services.ts'
import { processServices } from '../core/services.ts'
import { createApp } from './_lib/app.ts'
import { type LoadedRoute, loadRoutes } from './_router.ts'

export const functionsDir = import.meta.dir

/**
 * Bun's hard limit, far above the app's: a body Bun refuses gets an empty 413, so a body the app
 * refuses must reach the app, which answers from its declared length without reading it (JSON and CSV
 * bodies are also counted as they arrive). Only a chunked form, read whole by its parser, meets this.
 */
export const SERVER_BODY_LIMIT = 256 * 1024 * 1024

/** Serves the given route files (all of them by default) on the functions port. */
export async function startFunctionsServer(options: {
  services: Services
  routes?: LoadedRoute[]
  port?: number
}) {
  const { services } = options
  const config: Config = services.config
  const routes = options.routes ?? (await loadRoutes(functionsDir))
  const app = createApp({ services, routes })
  app.listen({
    port: options.port ?? config.functionsPort,
    hostname: config.host,
    // The app's own 413 (the JSON error shape) is what clients see; see SERVER_BODY_LIMIT.
    maxRequestBodySize: Math.max(SERVER_BODY_LIMIT, config.bodyLimitBytes * 2),
  })
  const server = app.server!
  services.log.info('functions listening', {
    url: `http://${server.hostname}:${server.port}`,
    routes: routes.length,
  })
  return { app, server, routes, stop: () => app.stop(true) }
}

if (import.meta.main) {
  const { runProcess } = await import('../core/process.ts')
  await runProcess('functions', async (context) => {
    const services = processServices(context)
    const functions = await startFunctionsServer({ services })
    return functions.stop
  })
}
