/**
 * The roof: the cheapest useful Elysia route, a POST whose small JSON body is validated by `t` and
 * echoed back. It runs in its own process like the functions server and is driven by the same load
 * tool with the same connections, so `http_votes_rps / roof_echo_rps` is the share of a bare
 * framework's throughput the real vote route keeps on this machine.
 * `bun ops/bench/echo-server.ts <port>`
 */
import { Elysia, t } from 'elysia'

const port = Number(process.argv[2] ?? process.env.PORT ?? 0)

const Ballots = t.Object({
  ballots: t.Array(
    t.Object({
      unitId: t.String({ format: 'uuid' }),
      optionKeys: t.Array(t.String({ maxLength: 64 }), { maxItems: 20 }),
    }),
    { minItems: 1, maxItems: 500 },
  ),
})

const app = new Elysia()
  .get('/health', () => ({ status: 'ok' }))
  .post('/echo', ({ body }) => ({ received: body.ballots.length, ballots: body.ballots }), { body: Ballots })
  .listen({ port, hostname: '127.0.0.1' })

process.on('SIGTERM', () => {
  void app.stop(true).finally(() => process.exit(0))
})
