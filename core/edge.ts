import { type NetworkList, resolveClientAddress } from './auth/networks.ts'
import type { Config } from './config.ts'
import { metricsResponse, type Registry } from './metrics.ts'
import { checkReadiness } from './readiness.ts'

/*
 * The process edge: what the HTTP side of every process (functions, realtime, bots) shares, so that a
 * cookie, an error body, a client address or a health answer means the same thing in each. Framework
 * free: plain Request/Response.
 */

/** The one JSON error shape of every process: `{ "error": { "code", "message", "details"? } }`. */
export interface ErrorBody {
  error: { code: string; message: string; details?: unknown; requestId?: string }
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } }
}

/** A JSON error response in the one shape. */
export function errorResponse(status: number, code: string, message: string, details?: unknown): Response {
  return Response.json(errorBody(code, message, details), { status })
}

/**
 * The request's body, refused with a JSON 413 past `limitBytes` (BODY_LIMIT_BYTES) whether the client
 * declared its length or not.
 */
export async function readLimitedBody(request: Request, limitBytes: number): Promise<Uint8Array | Response> {
  const tooLarge = () => errorResponse(413, 'payload_too_large', `Request body exceeds ${limitBytes} bytes`)
  if (Number(request.headers.get('content-length') ?? 0) > limitBytes) return tooLarge()
  const body = new Uint8Array(await request.arrayBuffer())
  return body.byteLength > limitBytes ? tooLarge() : body
}

/** The session cookie's name: the __Host- prefix requires Secure, so plain-HTTP localhost gets a plain name. */
export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-session' : 'session'
}

/** The value of cookie `name` in a Cookie header, or null. */
export function readCookie(header: string | null, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=')
    if (key === name) {
      try {
        return decodeURIComponent(value.join('='))
      } catch {
        return null
      }
    }
  }
  return null
}

/** The session token a request's cookie carries (the cookie this installation sets), or null. */
export function sessionCookieOf(request: Request, config: Pick<Config, 'auth'>): string | null {
  return readCookie(request.headers.get('cookie'), sessionCookieName(config.auth.secureCookies))
}

/** Whether a browser request's Origin is one this installation serves pages from (exact match). */
export function isAllowedOrigin(origin: string | null, config: Pick<Config, 'allowedOrigins'>): boolean {
  return origin !== null && config.allowedOrigins.includes(origin)
}

/**
 * The client's address: X-Forwarded-For is believed only from TRUSTED_PROXIES (nginx), see
 * core/auth/networks.ts.
 */
export function clientIp(
  request: Request,
  server: { requestIP(r: Request): { address: string } | null } | null,
  config: { auth: { trustedProxies: NetworkList } },
): string {
  const peer = server?.requestIP(request)?.address ?? null
  return resolveClientAddress(peer, request.headers.get('x-forwarded-for'), config.auth.trustedProxies)
}

/** The answers every process gives on /api/health, /api/ready and /metrics, or null for other paths. */
export async function processRoute(
  pathname: string,
  deps: Parameters<typeof checkReadiness>[0],
  metrics: Registry,
): Promise<Response | null> {
  if (pathname === '/api/health') return Response.json({ status: 'ok' })
  if (pathname === '/metrics') return metricsResponse(metrics)
  if (pathname === '/api/ready') {
    const report = await checkReadiness(deps)
    return Response.json(report, { status: report.ready ? 200 : 503 })
  }
  return null
}
