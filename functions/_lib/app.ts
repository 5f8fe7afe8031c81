import { openapi } from '@elysiajs/openapi'
import { Elysia } from 'elysia'
import { LATENCY_BUCKETS, metricsResponse } from '../../core/metrics.ts'
import type { Services } from '../../core/services.ts'
import { type LoadedRoute, mountRoutes } from '../_router.ts'
import { AppError, errorBody, fieldIssues } from './errors.ts'
import { restoreFastFormats } from './fast-formats.ts'
import { assertSafeInput } from './input-guard.ts'
import { publishRequestBodies } from './openapi.ts'
import { webAssets } from './web.ts'

// After the OpenAPI plugin's import (above) has registered its slow format checks.
restoreFastFormats()

interface RequestInfo {
  id: string
  startedAt: number
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/

/** Reuses a sane incoming X-Request-Id (set by nginx), otherwise makes one. */
function requestIdOf(request: Request): string {
  const incoming = request.headers.get('x-request-id')
  return incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID()
}

/** Reads a body as text, refusing (413) as soon as it exceeds `limit` bytes. */
export async function readLimited(request: Request, limit: number): Promise<string> {
  if (!request.body) return ''
  // With a declared length within the limit (onRequest refused larger ones), read it in one go:
  // Bun cannot deliver more than Content-Length bytes. Only chunked bodies are counted as they arrive.
  const declared = request.headers.get('content-length')
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) <= limit) return request.text()
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      throw new AppError(413, 'payload_too_large', `Request body exceeds ${limit} bytes`)
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks).toString('utf8')
}

/**
 * The HTTP app of the functions process: request ids and JSON access logs, the body size limit,
 * the uniform error shape, the OpenAPI document, and every route file mounted under /api.
 */
export function createApp(options: { services: Services; routes: LoadedRoute[] }) {
  const { services, routes } = options
  const { log, config } = services
  const requests = new WeakMap<Request, RequestInfo>()
  const metrics = services.metrics
  const httpRequests = metrics.counter('http_requests_total', 'HTTP requests by route and status')
  const httpLatency = metrics.histogram(
    'http_request_duration_seconds',
    'HTTP latency by route',
    LATENCY_BUCKETS,
  )
  const infoOf = (request: Request): RequestInfo => {
    let info = requests.get(request)
    if (!info) {
      info = { id: requestIdOf(request), startedAt: performance.now() }
      requests.set(request, info)
    }
    return info
  }

  const app = new Elysia({ name: 'functions' })
    .decorate('services', services)
    .onRequest(({ request, set }) => {
      const info = infoOf(request)
      set.headers['x-request-id'] = info.id
      const length = Number(request.headers.get('content-length') ?? 0)
      if (length > config.bodyLimitBytes) {
        set.status = 413
        return errorBody('payload_too_large', `Request body exceeds ${config.bodyLimitBytes} bytes`)
      }
    })
    .use(webAssets({ realtimeUrl: config.realtimePublicUrl })) // the web client, for non-/api paths
    .onParse({ as: 'global' }, async ({ request }, contentType) => {
      // JSON bodies are read here with a hard byte limit, whatever the headers claim (chunked too).
      if (!contentType.startsWith('application/json')) return
      const text = await readLimited(request, config.bodyLimitBytes)
      if (text.trim() === '') return undefined
      try {
        return JSON.parse(text)
      } catch {
        throw new AppError(400, 'malformed_body', 'The request body is not valid JSON')
      }
    })
    // NUL characters and absurd nesting are refused before validation and handlers, on every route.
    .onTransform({ as: 'global' }, ({ body, query, params }) => assertSafeInput({ body, query, params }))
    .onError({ as: 'global' }, ({ code, error: raised, request, set, path }) => {
      const info = infoOf(request)
      set.headers['x-request-id'] = info.id
      // Errors thrown by the body parser (size limit, bad JSON) arrive wrapped in Elysia's ParseError.
      const cause = (raised as { cause?: unknown }).cause
      const error = code === 'PARSE' && cause instanceof AppError ? cause : raised
      if (error instanceof AppError) {
        set.status = error.status
        Object.assign(set.headers, error.headers)
        return errorBody(error.code, error.message, error.details)
      }
      switch (code) {
        case 'VALIDATION': {
          set.status = 422
          // Coerced query/params values fail as type 'property' with no path; their schema title names them.
          const schema = raised.validator as { title?: string; schema?: { title?: string } } | undefined
          const on =
            raised.type === 'property' ? (schema?.schema?.title ?? schema?.title ?? 'input') : raised.type
          const details = fieldIssues(on, raised.all as never)
          const first = details[0]
          const message = first ? `${first.field}: ${first.message}` : 'Validation failed'
          return errorBody('validation_failed', message, details)
        }
        case 'PARSE':
          set.status = 400
          return errorBody(
            'malformed_body',
            'The request body could not be parsed (malformed JSON or form data)',
          )
        case 'NOT_FOUND':
          set.status = 404
          return errorBody('not_found', `No route for ${request.method} ${path}`)
        case 'INVALID_COOKIE_SIGNATURE':
          set.status = 400
          return errorBody('invalid_cookie', 'A cookie has an invalid signature')
      }
      const status = (error as { status?: unknown }).status
      if (typeof status === 'number' && status >= 400 && status < 500) {
        // Elysia's own 4xx errors (e.g. 413 from the server, invalid file type).
        set.status = status
        return errorBody('bad_request', (error as Error).message || 'Bad request')
      }
      log.error('unhandled error', { requestId: info.id, method: request.method, path, error })
      set.status = 500
      return { error: { code: 'internal_error', message: 'Internal server error', requestId: info.id } }
    })
    .onAfterResponse({ as: 'global' }, ({ request, set, path, route }) => {
      const info = infoOf(request)
      const status = typeof set.status === 'number' ? set.status : 200
      const ms = Math.round((performance.now() - info.startedAt) * 10) / 10
      // Label by route pattern, never by raw path: ids would make the series unbounded.
      const labels = { method: request.method, route: route || 'unmatched', status }
      httpRequests.inc(labels)
      httpLatency.observe(ms / 1000, { method: request.method, route: route || 'unmatched' })
      log.info('http', { requestId: info.id, method: request.method, path, status, ms })
    })
    .get('/metrics', () => metricsResponse(metrics), { detail: { hide: true } })
    // Before the plugin's routes, so that it applies to its document.
    .onAfterHandle({ as: 'global' }, ({ path, responseValue }) => {
      if (path === '/api/docs/json') publishRequestBodies(responseValue as never, routes)
    })
    .use(
      openapi({
        path: '/api/docs',
        documentation: {
          info: {
            title: 'Assembly 2.0 API',
            version: '0.1.0',
            description: 'Owners’ assemblies for horizontal-property buildings (Ley 284 de 2022, Panamá).',
          },
        },
      }),
    )
  mountRoutes(app, routes)
  return app
}
