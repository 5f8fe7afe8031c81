import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq, sql } from 'drizzle-orm'
import { createLogger } from '../../../core/log.ts'
import { createTestServices } from '../../../core/services-testing.ts'
import { otpCodes } from '../../../db/schema/index.ts'
import { seedDemo } from '../../../db/seed.ts'
import { createTestApp, jsonRequest } from '../../_lib/testing.ts'

// Sign-in through the HTTP API, with the dev mailer standing in for SMTP (the code is read from it).
let services: Awaited<ReturnType<typeof createTestServices>>
let app: Awaited<ReturnType<typeof createTestApp>>
const ORIGIN = 'http://localhost:3000'

beforeAll(async () => {
  services = await createTestServices({ RATE_LIMIT_AUTH_PER_EMAIL: '4', RATE_LIMIT_AUTH_PER_IP: '1000' })
  app = await createTestApp(services)
  await seedDemo(services.db)
})
afterAll(() => services.close())

const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
  const response = await app.handle(
    jsonRequest('POST', path, body, { 'x-forwarded-for': '203.0.113.7', ...headers }),
  )
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null }
}
const lastCodeFor = (email: string) => {
  const message = services.mailer.recent().find((m) => m.to === email)
  return message?.text.match(/\b(\d{6})\b/)?.[1] ?? null
}
let emailCounter = 0
/** Owner emails of the demo seed: a different unit per test, so throttling never spills over. */
const nextOwnerEmail = () => `propietario.${++emailCounter}a@example.com`

describe('email code sign-in', () => {
  it('signs in an owner with the emailed code and returns a session', async () => {
    const email = nextOwnerEmail()
    const requested = await post('/api/auth/otp/request', { email })
    expect(requested.status).toBe(200)
    const code = lastCodeFor(email)
    expect(code).toMatch(/^\d{6}$/)
    const verified = await post('/api/auth/otp/verify', { email, attempt: requested.body.attempt, code })
    expect(verified.status).toBe(200)
    const me = await app.handle(
      jsonRequest('GET', '/api/auth/session', undefined, { authorization: `Bearer ${verified.body.token}` }),
    )
    expect(me.status).toBe(200)
    const body = await me.json()
    expect(body.user.email).toBe(email)
    // The owner is linked to their PH by email.
    expect(body.organizations).toHaveLength(1)
    expect(body.organizations[0].linkedAsPerson).toBe(true)
  })

  it('answers an unknown address exactly like a known one, and sends nothing', async () => {
    const before = services.mailer.recent().length
    const unknown = await post('/api/auth/otp/request', { email: 'nobody@example.net' })
    expect(unknown.status).toBe(200)
    expect(Object.keys(unknown.body).sort()).toEqual(['attempt', 'expiresInSeconds'])
    expect(unknown.body.expiresInSeconds).toBe(300)
    expect(services.mailer.recent().length).toBe(before)
  })

  it('stores only a hash of the code', async () => {
    const email = nextOwnerEmail()
    await post('/api/auth/otp/request', { email })
    const code = lastCodeFor(email)!
    const rows = await services.db.select().from(otpCodes).where(eq(otpCodes.email, email))
    expect(rows).toHaveLength(1)
    expect(Buffer.from(rows[0]!.codeHash).toString('hex')).not.toContain(Buffer.from(code).toString('hex'))
    expect(rows[0]!.codeHash.length).toBe(32)
  })

  it('accepts a code only with the attempt that requested it, and only once', async () => {
    const email = nextOwnerEmail()
    const first = await post('/api/auth/otp/request', { email })
    const code = lastCodeFor(email)!
    const other = await post('/api/auth/otp/request', { email: 'nobody@example.net' })
    expect((await post('/api/auth/otp/verify', { email, attempt: other.body.attempt, code })).status).toBe(
      400,
    )
    expect((await post('/api/auth/otp/verify', { email, attempt: first.body.attempt, code })).status).toBe(
      200,
    )
    const again = await post('/api/auth/otp/verify', { email, attempt: first.body.attempt, code })
    expect(again.status).toBe(400)
    expect(again.body.error.code).toBe('invalid_code')
  })

  it('invalidates the code after 5 wrong tries', async () => {
    const email = nextOwnerEmail()
    const { body } = await post('/api/auth/otp/request', { email })
    const code = lastCodeFor(email)!
    const wrong = code === '000000' ? '111111' : '000000'
    const codes: string[] = []
    for (let i = 0; i < 5; i++) {
      codes.push(
        (await post('/api/auth/otp/verify', { email, attempt: body.attempt, code: wrong })).body.error.code,
      )
    }
    expect(codes).toEqual([
      'invalid_code',
      'invalid_code',
      'invalid_code',
      'invalid_code',
      'too_many_attempts',
    ])
    expect((await post('/api/auth/otp/verify', { email, attempt: body.attempt, code })).status).toBe(400)
  })

  it('refuses an expired code', async () => {
    const email = nextOwnerEmail()
    const { body } = await post('/api/auth/otp/request', { email })
    await services.db
      .update(otpCodes)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(otpCodes.email, email))
    const expired = await post('/api/auth/otp/verify', {
      email,
      attempt: body.attempt,
      code: lastCodeFor(email)!,
    })
    expect(expired.body.error.code).toBe('code_expired')
  })

  it('invalidates a previous code over a minute old when a new one is requested', async () => {
    const email = nextOwnerEmail()
    const first = await post('/api/auth/otp/request', { email })
    const firstCode = lastCodeFor(email)!
    await services.db
      .update(otpCodes)
      .set({ createdAt: sql`now() - interval '61 seconds'` })
      .where(eq(otpCodes.email, email))
    await post('/api/auth/otp/request', { email })
    const stale = await post('/api/auth/otp/verify', { email, attempt: first.body.attempt, code: firstCode })
    expect(stale.status).toBe(400)
  })

  it('throttles requests per email with 429 and Retry-After', async () => {
    const email = nextOwnerEmail()
    const statuses: number[] = []
    let last: Awaited<ReturnType<typeof post>> | null = null
    for (let i = 0; i < 5; i++) {
      last = await post('/api/auth/otp/request', { email })
      statuses.push(last.status)
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429])
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(last!.body.error.code).toBe('too_many_requests')
  })

  it('rejects a malformed email naming the field', async () => {
    const res = await post('/api/auth/otp/request', { email: 'not-an-email' })
    expect(res.status).toBe(422)
    expect(res.body.error.details[0].field).toBe('body.email')
  })
})

describe('session cookie and CSRF', () => {
  async function signInWithCookie() {
    const email = nextOwnerEmail()
    const { body } = await post('/api/auth/otp/request', { email })
    return post('/api/auth/otp/verify', { email, attempt: body.attempt, code: lastCodeFor(email)! })
  }

  it('sets an HttpOnly, SameSite=Lax, Path=/ cookie (plain name and no Secure only on http localhost)', async () => {
    const res = await signInWithCookie()
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toStartWith('session=')
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')
    expect(cookie).toContain('Path=/')
    expect(cookie).not.toContain('Secure')
  })

  it('refuses a cookie-authenticated change without a matching Origin, and allows it with one', async () => {
    const res = await signInWithCookie()
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!
    const foreign = await post('/api/auth/logout', {}, { cookie, origin: 'https://evil.example' })
    expect(foreign.status).toBe(403)
    // A page on another address: the site's configured address (PUBLIC_URL) is named, not a permission.
    expect(foreign.body.error.code).toBe('origin_mismatch')
    const missing = await post('/api/auth/logout', {}, { cookie })
    expect(missing.status).toBe(403)
    expect(missing.body.error.code).toBe('csrf_rejected')
    const same = await post('/api/auth/logout', {}, { cookie, origin: ORIGIN })
    expect(same.status).toBe(200)
    // The session is gone after logout: the browser is simply signed out (200, no user).
    const after = await app.handle(jsonRequest('GET', '/api/auth/session', undefined, { cookie }))
    expect(after.status).toBe(200)
    expect(await after.json()).toEqual({ user: null })
  })

  it('answers a signed-out session check with { user: null }, and a bad Bearer token with 401', async () => {
    const anonymous = await app.handle(jsonRequest('GET', '/api/auth/session'))
    expect(anonymous.status).toBe(200)
    expect(await anonymous.json()).toEqual({ user: null })
    const stale = await app.handle(
      jsonRequest('GET', '/api/auth/session', undefined, { cookie: 'session=nope' }),
    )
    expect(await stale.json()).toEqual({ user: null })
    const bearer = await app.handle(
      jsonRequest('GET', '/api/auth/session', undefined, { authorization: 'Bearer not-a-token' }),
    )
    expect(bearer.status).toBe(401)
    // Other routes still refuse anonymous callers.
    expect((await app.handle(jsonRequest('GET', '/api/auth/passkeys'))).status).toBe(401)
  })

  it('signs out everywhere', async () => {
    const email = nextOwnerEmail()
    const tokens: string[] = []
    for (let i = 0; i < 2; i++) {
      const { body } = await post('/api/auth/otp/request', { email })
      const verified = await post('/api/auth/otp/verify', {
        email,
        attempt: body.attempt,
        code: lastCodeFor(email)!,
      })
      tokens.push(verified.body.token)
    }
    const ended = await post('/api/auth/sign-out-everywhere', {}, { authorization: `Bearer ${tokens[0]}` })
    expect(ended.body.sessionsEnded).toBe(2)
    const other = await app.handle(
      jsonRequest('GET', '/api/auth/session', undefined, { authorization: `Bearer ${tokens[1]}` }),
    )
    expect(other.status).toBe(401)
  })
})

describe('production hardening', () => {
  it('logs an Origin that is not the configured address with the expected and received origins', async () => {
    const base = await createTestServices({ PUBLIC_URL: 'https://ph.example.org' })
    const lines: string[] = []
    try {
      const services = { ...base, log: createLogger({ level: 'warn', write: (line) => lines.push(line) }) }
      const prodApp = await createTestApp(services)
      const response = await prodApp.handle(
        jsonRequest(
          'POST',
          '/api/auth/logout',
          {},
          { cookie: '__Host-session=a.b', origin: 'https://old-name.example.org' },
        ),
      )
      expect(response.status).toBe(403)
      expect((await response.json()).error.code).toBe('origin_mismatch')
      const logged = lines.map((line) => JSON.parse(line)).find((entry) => entry.received)
      expect(logged).toMatchObject({
        level: 'warn',
        expected: ['https://ph.example.org'],
        received: 'https://old-name.example.org',
        path: '/api/auth/logout',
      })
    } finally {
      await base.close()
    }
  })

  it('uses a __Host- Secure cookie when the public URL is https', async () => {
    const secure = await createTestServices({ PUBLIC_URL: 'https://ph.example.org' })
    try {
      const { sessionCookie } = await import('../../_lib/session-cookie.ts')
      const cookie = sessionCookie(secure.config, 'a.b', new Date(Date.now() + 1000))
      expect(cookie).toStartWith('__Host-session=')
      expect(cookie).toContain('; Secure')
    } finally {
      await secure.close()
    }
  })

  it('has no dev mailbox in production', async () => {
    const prod = await createTestServices({
      APP_ENV: 'production',
      DATABASE_URL: 'postgres://x@127.0.0.1:1/x',
      REDIS_URL: 'redis://127.0.0.1:1',
      SMTP_URL: 'smtp://127.0.0.1:1',
      PUBLIC_URL: 'https://ph.example.org',
    })
    try {
      const prodApp = await createTestApp(prod)
      const res = await prodApp.handle(jsonRequest('GET', '/api/dev/mailbox'))
      expect(res.status).toBe(404)
    } finally {
      await prod.close()
    }
  })
})
