import type { SessionInfo } from '../../../core/auth/schemas.ts'
/** The JSON API under /api: one error shape, the session cookie, and a redirect to sign-in on 401. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

interface ApiOptions {
  /** Leave 401s to the caller instead of sending the user to the sign-in page. */
  allowAnonymous?: boolean
  signal?: AbortSignal
  /** Send a string body as is with this content type (e.g. text/csv) instead of as JSON. */
  contentType?: string
}

/** Sends the user to sign in and back here afterwards. */
export function goToSignIn(): never {
  const next = encodeURIComponent(location.pathname + location.search + location.hash)
  location.assign(`/sign-in?next=${next}`)
  throw new ApiError(401, 'unauthenticated', 'Sign in first')
}

export async function api<T>(
  method: string,
  path: string,
  body?: unknown,
  options: ApiOptions = {},
): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', signal: options.signal, headers: {} }
  if (body instanceof FormData) {
    init.body = body
  } else if (typeof body === 'string' && options.contentType) {
    init.body = body
    init.headers = { 'content-type': options.contentType }
  } else if (body !== undefined) {
    init.body = JSON.stringify(body)
    init.headers = { 'content-type': 'application/json' }
  }
  let response: Response
  try {
    response = await fetch(`/api${path}`, init)
  } catch {
    throw new ApiError(0, 'network_error', 'No connection')
  }
  const text = await response.text()
  let data: unknown = null
  try {
    data = text ? JSON.parse(text) : null
  } catch {
    data = text
  }
  if (response.ok) return data as T
  const error = (data as { error?: { code?: string; message?: string; details?: unknown } } | null)?.error
  if (response.status === 401 && !options.allowAnonymous) goToSignIn()
  const retryAfter = Number(response.headers.get('retry-after')) || undefined
  throw new ApiError(
    response.status,
    error?.code ?? 'http_error',
    error?.message ?? `HTTP ${response.status}`,
    error?.details,
    retryAfter,
  )
}

export const get = <T>(path: string, options?: ApiOptions) => api<T>('GET', path, undefined, options)
export const post = <T>(path: string, body?: unknown, options?: ApiOptions) =>
  api<T>('POST', path, body, options)
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body)
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body)
export const del = <T>(path: string) => api<T>('DELETE', path)

/** Path segments are ids and codes from the API; encode them anyway. */
export const seg = (value: string) => encodeURIComponent(value)

export type { SessionInfo }

/** The signed-in user; sends a signed-out visitor to sign in (the server answers `{ user: null }`). */
export async function loadSession(): Promise<SessionInfo> {
  const session = await get<SessionInfo | { user: null }>('/auth/session')
  if (!session.user) goToSignIn()
  return session as SessionInfo
}

/** The signed-in user, or null for a signed-out visitor (no error, no redirect). */
export async function peekSession(): Promise<SessionInfo | null> {
  const session = await get<SessionInfo | { user: null }>('/auth/session', { allowAnonymous: true })
  return session.user ? (session as SessionInfo) : null
}
