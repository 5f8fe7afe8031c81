import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createTestServices, createTestUser } from '../../core/services-testing.ts'
import { sessionCookieName } from './auth.ts'
import { createTestApp } from './testing.ts'

// A state-changing request signed in by cookie must come from an allowed Origin, matched exactly:
// scheme, host and port, nothing more and nothing less.
let services: Awaited<ReturnType<typeof createTestServices>>
let app: Awaited<ReturnType<typeof createTestApp>>
let allowed: string

beforeAll(async () => {
  services = await createTestServices({ PUBLIC_URL: 'http://localhost:3000' })
  app = await createTestApp(services)
  allowed = new URL(services.config.publicUrl).origin
})
afterAll(() => services.close())

async function logoutFrom(origin: string | null) {
  const user = await createTestUser(services)
  const headers: Record<string, string> = {
    cookie: `${sessionCookieName(services.config.auth.secureCookies)}=${user.token}`,
    'content-type': 'application/json',
  }
  if (origin !== null) headers.origin = origin
  const response = await app.handle(
    new Request('http://localhost/api/auth/logout', { method: 'POST', headers, body: '{}' }),
  )
  return { status: response.status, body: (await response.json()) as { error?: { code: string } } }
}

describe('the Origin of a cookie-authenticated request', () => {
  it.each([
    ['a longer host that starts with the allowed one', 'http://localhost:3000.evil.example'],
    ['another scheme', 'https://localhost:3000'],
    ['another port', 'http://localhost:3001'],
    ['no port', 'http://localhost'],
    ['the null origin', 'null'],
    ['a subdomain', 'http://evil.localhost:3000'],
    ['a trailing slash', 'http://localhost:3000/'],
    ['a user-info prefix', 'http://localhost:3000@evil.example'],
    ['upper case', 'HTTP://LOCALHOST:3000'],
  ])('refuses %s', async (_name, origin) => {
    const { status, body } = await logoutFrom(origin)
    expect(status).toBe(403)
    expect(body.error?.code).toBe('origin_mismatch')
  })

  it('refuses a request without an Origin', async () => {
    const { status, body } = await logoutFrom(null)
    expect(status).toBe(403)
    expect(body.error?.code).toBe('csrf_rejected')
  })

  it('accepts the exact allowed origin', async () => {
    expect(allowed).toBe('http://localhost:3000')
    const { status } = await logoutFrom(allowed)
    expect(status).toBe(200)
  })
})
