import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createTestServices } from '../../../core/services-testing.ts'
import { organizations, people } from '../../../db/schema/index.ts'
import { withPlatformScope } from '../../../db/tenant.ts'
import { createTestApp, jsonRequest } from '../../_lib/testing.ts'

// The case the limits are designed for (issue #13): a whole room signs in from ONE public address
// (the building's Wi-Fi), with the default limits, every page load's session check included.
const OWNERS = 500
let services: Awaited<ReturnType<typeof createTestServices>>
let app: Awaited<ReturnType<typeof createTestApp>>
// A random address per run: limit counters live in the shared Redis when REDIS_URL is set.
const ROOM = `198.18.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`
const run = crypto.randomUUID().slice(0, 8)
const emailOf = (i: number) => `room-${run}-${i}@example.org`

beforeAll(async () => {
  services = await createTestServices()
  app = await createTestApp(services)
  const [organization] = await services.db
    .insert(organizations)
    .values({ slug: `ph-room-${run}`, name: 'PH Room' })
    .returning({ id: organizations.id })
  await withPlatformScope(services.db, (tx) =>
    tx.insert(people).values(
      Array.from({ length: OWNERS }, (_, i) => ({
        organizationId: organization!.id,
        fullName: `Owner ${i}`,
        email: emailOf(i),
      })),
    ),
  )
}, 120_000)
afterAll(() => services.close())

const call = async (method: string, path: string, body?: unknown) => {
  const response = await app.handle(jsonRequest(method, path, body, { 'x-forwarded-for': ROOM }))
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : null }
}

/** One owner as the web client does it: two page loads, the passkey autofill challenge, a code. */
async function signIn(i: number): Promise<string> {
  const email = emailOf(i)
  for (let load = 0; load < 2; load++) {
    expect(await call('GET', '/api/auth/session')).toEqual({ status: 200, body: { user: null } })
  }
  expect((await call('POST', '/api/auth/passkeys/authentication-options', {})).status).toBe(200)
  const requested = await call('POST', '/api/auth/otp/request', { email })
  expect(requested.status).toBe(200)
  const code = services.mailer
    .recent()
    .find((m) => m.to === email)
    ?.text.match(/\b(\d{6})\b/)?.[1]
  if (!code) throw new Error(`no code for ${email}`)
  // One owner in ten mistypes the code first.
  if (i % 10 === 0) {
    const wrong = `${(Number(code[0]) + 1) % 10}${code.slice(1)}`
    expect(
      (await call('POST', '/api/auth/otp/verify', { email, attempt: requested.body.attempt, code: wrong }))
        .status,
    ).toBe(400)
  }
  const verified = await call('POST', '/api/auth/otp/verify', {
    email,
    attempt: requested.body.attempt,
    code,
  })
  expect(verified.status).toBe(200)
  return verified.body.token
}

describe('a room of 500 owners behind one address', () => {
  it('signs every owner in with the default limits, none refused', async () => {
    const tokens: string[] = []
    // 20 at a time (the dev mailbox keeps the last 50 messages, from which codes are read).
    for (let start = 0; start < OWNERS; start += 20) {
      const batch = Array.from({ length: Math.min(20, OWNERS - start) }, (_, k) => signIn(start + k))
      tokens.push(...(await Promise.all(batch)))
    }
    expect(new Set(tokens).size).toBe(OWNERS)
    const me = await app.handle(
      jsonRequest('GET', '/api/auth/session', undefined, { authorization: `Bearer ${tokens.at(-1)}` }),
    )
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe(emailOf(OWNERS - 1))
  }, 300_000)
})
