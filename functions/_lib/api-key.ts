import { Elysia } from 'elysia'
import { type ApiKeyIdentity, verifyApiKey } from '../../core/auth/api-keys.ts'
import type { Services } from '../../core/services.ts'
import { AppError } from './errors.ts'
import { services } from './services.ts'

/** The key a caller presents: `Authorization: Bearer ak_…` (a session bearer is not one) or `X-Api-Key`. */
function presentedKey(headers: Headers): string | null {
  const bearer = headers.get('authorization')?.match(/^Bearer\s+(ak_\S+)$/i)?.[1]
  return bearer ?? headers.get('x-api-key')?.trim() ?? null
}

/** The caller's key when it may use a route needing `scope`; throws AppError (401/403/404) otherwise. */
async function authorizeApiKey(
  s: Services,
  request: Request,
  params: Record<string, string | undefined> | undefined,
  scope: string,
): Promise<ApiKeyIdentity> {
  const presented = presentedKey(request.headers)
  if (!presented) {
    throw new AppError(
      401,
      'invalid_api_key',
      'An API key is required (Authorization: Bearer ak_… or X-Api-Key)',
    )
  }
  const key = await verifyApiKey(s.db, presented)
  if (!key) throw new AppError(401, 'invalid_api_key', 'The API key is not valid or has been revoked')
  if (!key.scopes.includes(scope)) {
    throw new AppError(403, 'forbidden', `This API key does not have the scope "${scope}"`)
  }
  // Elysia leaves `params` undefined on routes without path parameters.
  const organizationId = params?.organizationId
  if (key.organizationId && organizationId !== undefined && organizationId !== key.organizationId) {
    // Same answer as the session plugin for another tenant's PH: its id is never confirmed.
    throw new AppError(404, 'not_found', 'Organization not found')
  }
  return key
}

const authorized = new WeakMap<Request, ApiKeyIdentity>()

/**
 * The API key plugin for internal webhooks and service-to-service routes. Routes opt in with the
 * scope they need: `.post('', handler, { apiKey: 'votes:write' })`, and then receive `apiKey`.
 * A key bound to one PH is refused on another PH's routes (`:organizationId`). Like the session
 * plugin, it runs before body validation, so callers without a key learn nothing about a route's schema.
 */
export const apiKey = new Elysia({ name: 'api-key' }).use(services).macro({
  apiKey: (scope: string) => ({
    async transform({ services: s, request, params }) {
      const key = await authorizeApiKey(s, request, params as Record<string, string | undefined>, scope)
      authorized.set(request, key)
    },
    resolve({ request }) {
      const key = authorized.get(request)
      if (!key) throw new AppError(401, 'invalid_api_key', 'An API key is required')
      return { apiKey: key }
    },
  }),
})
