import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { type AnyElysia, Elysia, t } from 'elysia'
import { createLogger } from '../../core/log.ts'
import type { Services } from '../../core/services.ts'
import { createTestServices } from '../../core/services-testing.ts'
import { createApp } from './app.ts'
import { AppError } from './errors.ts'
import { jsonRequest } from './testing.ts'

let services: Awaited<ReturnType<typeof createTestServices>>
const logLines: Record<string, unknown>[] = []
let app: ReturnType<typeof createApp>

const route = (method: 'GET' | 'POST', path: string, handler: AnyElysia) => ({
  file: `${path}.ts`,
  method,
  path,
  handler,
})

const echoRoute = () =>
  route(
    'POST',
    '/echo',
    new Elysia().post('', ({ body }) => body, {
      body: t.Object({
        name: t.String({ minLength: 1 }),
        count: t.Integer({ minimum: 0 }),
        a: t.Optional(t.Unknown()),
      }),
    }),
  )

beforeAll(async () => {
  services = await createTestServices({ BODY_LIMIT_BYTES: '2048' })
  const logged: Services = {
    ...services,
    log: createLogger({ write: (line) => logLines.push(JSON.parse(line)) }),
  }
  app = createApp({
    services: logged,
    routes: [
      echoRoute(),
      route(
        'GET',
        '/boom',
        new Elysia().get('', () => {
          throw new Error('secret internals')
        }),
      ),
      route(
        'GET',
        '/refused',
        new Elysia().get('', () => {
          throw new AppError(409, 'already_closed', 'The motion is already closed')
        }),
      ),
    ],
  })
})
afterAll(() => services.close())

const call = async (request: Request) => {
  const response = await app.handle(request)
  const text = await response.text()
  return { status: response.status, headers: response.headers, text, json: text ? JSON.parse(text) : null }
}

describe('uniform errors', () => {
  it('answers a valid body', async () => {
    const res = await call(jsonRequest('POST', '/api/echo', { name: 'a', count: 1 }))
    expect(res.status).toBe(200)
    expect(res.json).toEqual({ name: 'a', count: 1 })
  })

  it('names every failing field with 422', async () => {
    const res = await call(jsonRequest('POST', '/api/echo', { name: '', count: -1 }))
    expect(res.status).toBe(422)
    expect(res.json.error.code).toBe('validation_failed')
    const fields = res.json.error.details.map((issue: { field: string }) => issue.field)
    expect(fields).toContain('body.name')
    expect(fields).toContain('body.count')
  })

  it('reports a missing field by name', async () => {
    const res = await call(jsonRequest('POST', '/api/echo', { name: 'x' }))
    expect(res.status).toBe(422)
    expect(res.json.error.details.map((issue: { field: string }) => issue.field)).toContain('body.count')
  })

  it('answers malformed JSON with 400', async () => {
    const res = await call(jsonRequest('POST', '/api/echo', '{"name": '))
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('malformed_body')
  })

  it('answers an unknown route with 404 in the same shape', async () => {
    const res = await call(jsonRequest('GET', '/api/nowhere'))
    expect(res.status).toBe(404)
    expect(res.json.error).toEqual({ code: 'not_found', message: 'No route for GET /api/nowhere' })
  })

  it('answers a body over the limit with 413', async () => {
    const res = await call(jsonRequest('POST', '/api/echo', { name: 'x'.repeat(4096), count: 1 }))
    expect(res.status).toBe(413)
    expect(res.json.error.code).toBe('payload_too_large')
  })

  it('maps an AppError to its status and code', async () => {
    const res = await call(jsonRequest('GET', '/api/refused'))
    expect(res.status).toBe(409)
    expect(res.json.error).toEqual({ code: 'already_closed', message: 'The motion is already closed' })
  })

  it('hides unexpected errors behind a 500 with the request id, and logs the stack', async () => {
    const res = await call(jsonRequest('GET', '/api/boom', undefined, { 'x-request-id': 'req-boom-123' }))
    expect(res.status).toBe(500)
    expect(res.json.error).toEqual({
      code: 'internal_error',
      message: 'Internal server error',
      requestId: 'req-boom-123',
    })
    expect(res.text).not.toContain('secret internals')
    expect(res.text).not.toContain('at ')
    const logged = logLines.find(
      (line) => line.msg === 'unhandled error' && line.requestId === 'req-boom-123',
    )
    expect((logged?.error as { stack?: string })?.stack).toContain('secret internals')
  })
})

describe('input PostgreSQL or the validator cannot take', () => {
  const deepJson = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`

  it.each([
    ['a top-level field', { name: 'a\u0000b', count: 1 }, 'body.name'],
    ['an object key', { name: 'a', count: 1, 'k\u0000': 1 }, 'body.k\\u0000'],
  ])('refuses a NUL character in %s with 422 naming the field', async (_name, body, field) => {
    const res = await call(jsonRequest('POST', '/api/echo', body))
    expect(res.status).toBe(422)
    expect(res.json.error.code).toBe('validation_failed')
    expect(res.json.error.details[0].field).toBe(field)
  })

  it('refuses a NUL character in a query parameter with 422 naming it', async () => {
    const res = await call(jsonRequest('GET', '/api/refused?search=a%00b'))
    expect(res.status).toBe(422)
    expect(res.json.error.details).toEqual([
      { field: 'query.search', message: expect.stringContaining('NUL') },
    ])
  })

  it.each([100, 5000, 50_000])(
    'refuses JSON nested %i deep with 400, not a stack overflow',
    async (depth) => {
      // A body limit large enough for the nesting to reach the parser and the validator.
      const roomy = createApp({
        services: { ...services, config: { ...services.config, bodyLimitBytes: 1_000_000 } },
        routes: [echoRoute()],
      })
      const res = await roomy.handle(jsonRequest('POST', '/api/echo', deepJson(depth)))
      expect(res.status).toBe(400)
      const body = (await res.json()) as { error: { code: string } }
      expect(['too_deep', 'malformed_body']).toContain(body.error.code)
    },
  )

  it('accepts ordinary nesting and text', async () => {
    const res = await call(jsonRequest('POST', '/api/echo', { name: 'Ñandú 1A — «ok»', count: 3 }))
    expect(res.status).toBe(200)
  })
})

describe('request ids and logs', () => {
  it('returns a request id and logs one JSON line per request with it', async () => {
    const res = await call(jsonRequest('POST', '/api/echo', { name: 'a', count: 2 }))
    const id = res.headers.get('x-request-id')
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    await Bun.sleep(5)
    const line = logLines.find((entry) => entry.msg === 'http' && entry.requestId === id)
    expect(line).toMatchObject({ level: 'info', method: 'POST', path: '/api/echo', status: 200 })
  })

  it('ignores a malformed incoming request id', async () => {
    const res = await call(jsonRequest('GET', '/api/nowhere', undefined, { 'x-request-id': 'bad id\n' }))
    expect(res.headers.get('x-request-id')).not.toBe('bad id\n')
  })
})

describe('metrics', () => {
  it('counts requests by route pattern and status in the Prometheus format', async () => {
    await call(jsonRequest('POST', '/api/echo', { name: 'a', count: 1 }))
    // Requests are counted after the response is sent: read until the count is there (at most ~1 s).
    const counted = /http_requests_total\{method="POST",route="\/api\/echo",status="200"\} \d+/
    let res = await app.handle(new Request('http://localhost/metrics'))
    let text = await res.text()
    for (let i = 0; i < 40 && !counted.test(text); i++) {
      await Bun.sleep(25)
      res = await app.handle(new Request('http://localhost/metrics'))
      text = await res.text()
    }
    expect(res.headers.get('content-type')).toStartWith('text/plain')
    expect(text).toMatch(/http_requests_total\{method="POST",route="\/api\/echo",status="200"\} \d+/)
    expect(text).toContain('http_request_duration_seconds_bucket')
  })
})

describe('OpenAPI', () => {
  it('documents the mounted routes', async () => {
    const res = await call(jsonRequest('GET', '/api/docs/json'))
    expect(res.status).toBe(200)
    expect(Object.keys(res.json.paths)).toContain('/api/echo')
  })
})
