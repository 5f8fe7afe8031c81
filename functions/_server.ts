import type { Config } from '../core/config.ts'
import { createApp } from './_lib/app.ts'
import type { Services } from './_lib/services.ts'
import { createServices } from './_lib/services.ts'
import { type LoadedRoute, loadRoutes } from './_router.ts'

export const functionsDir = import.meta.dir

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
    // Backstop for non-JSON bodies; JSON bodies are also limited while parsing (see createApp).
    maxRequestBodySize: config.bodyLimitBytes,
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
  await runProcess('functions', async ({ config, secretKey, log, platform }) => {
    const services = createServices({
      config,
      secretKey,
      log,
      database: platform.database,
      bus: platform.bus,
    })
    const functions = await startFunctionsServer({ services })
    return functions.stop
  })
}
