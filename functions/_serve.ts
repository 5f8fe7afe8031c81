/**
 * Serves one (or a few) function files alone, serverless-style:
 *   bun functions/_serve.ts 'organizations/[organizationId]/units.get.ts'
 * /api/health and /api/ready are always included so the instance can be health-checked.
 */
import { runProcess } from '../core/process.ts'
import { processServices } from '../core/services.ts'
import { loadRoutes } from './_router.ts'
import { functionsDir, startFunctionsServer } from './_server.ts'

const files = process.argv.slice(2).map((file) => file.replace(/^functions\//, ''))
if (files.length === 0) {
  console.error('Usage: bun functions/_serve.ts <route file relative to functions/> [...more files]')
  process.exit(2)
}

await runProcess('function', async (context) => {
  const wanted = [...new Set(['health.get.ts', 'ready.get.ts', ...files])]
  const routes = await loadRoutes(functionsDir, wanted)
  const services = processServices(context)
  const functions = await startFunctionsServer({ services, routes })
  return functions.stop
})
