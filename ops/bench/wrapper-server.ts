/**
 * The framework ceiling: the project's own app wrapper (request ids, access logs, body limit, error
 * shape, OpenAPI, web assets, metrics) around one route that validates a vote-shaped body and echoes
 * it, with nothing behind it. Started like the functions process (`runProcess`, same configuration),
 * so `http_votes_rps / app_roof_rps` is what the vote itself costs on top of the wrapper.
 * `bun ops/bench/wrapper-server.ts` (listens on FUNCTIONS_PORT)
 */
import { Elysia, t } from 'elysia'
import { runProcess } from '../../core/process.ts'
import { processServices } from '../../core/services.ts'
import { startFunctionsServer } from '../../functions/_server.ts'
import health from '../../functions/health.get.ts'

const Ballots = t.Object({
  ballots: t.Array(
    t.Object({
      unitId: t.String({ format: 'uuid' }),
      optionKeys: t.Array(t.String({ maxLength: 64 }), { maxItems: 20 }),
    }),
    { minItems: 1, maxItems: 500 },
  ),
})

const echo = new Elysia().post(
  '/',
  ({ body }) => ({ received: body.ballots.length, ballots: body.ballots }),
  {
    body: Ballots,
  },
)

await runProcess('functions', async (context) => {
  const services = processServices(context)
  const server = await startFunctionsServer({
    services,
    routes: [
      { file: 'echo.post.ts', method: 'POST', path: '/echo', handler: echo },
      { file: 'health.get.ts', method: 'GET', path: '/health', handler: health },
    ],
  })
  return server.stop
})
