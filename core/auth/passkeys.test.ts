import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { encodeHexLowerCase } from '@oslojs/encoding'
import { eq } from 'drizzle-orm'
import type { DatabaseHandle } from '../../db/client.ts'
import { passkeys, users } from '../../db/schema/index.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { createTestBus } from '../bus/testing.ts'
import { AppError } from '../errors.ts'
import {
  createAuthenticationOptions,
  createRegistrationOptions,
  type PasskeyDeps,
  type PasskeyUser,
  userHandleOf,
  verifyAuthentication,
  verifyRegistration,
} from './passkeys.ts'
import { assertWithinRateLimit, createRateLimiter } from './rate-limit.ts'
import { createSoftwareAuthenticator } from './testing/software-authenticator.ts'

const ORIGIN = 'https://assembly.example.test'
const bus = createTestBus()
let handle: DatabaseHandle

beforeAll(async () => {
  handle = await createTestDatabase()
}, 30_000)
afterAll(async () => {
  await bus.close()
  await handle.close()
})

const deps = (challengeTtlMs?: number): PasskeyDeps => ({
  db: handle.db,
  bus,
  rp: { id: 'assembly.example.test', name: 'Assembly 2.0', origins: [ORIGIN] },
  challengeTtlMs,
})

async function createUser(): Promise<PasskeyUser> {
  const email = `core-${crypto.randomUUID().slice(0, 8)}@example.test`
  const [user] = await handle.db.insert(users).values({ email }).returning({ id: users.id })
  return { id: user!.id, email, displayName: null }
}

/** The AppError a promise rejects with (fails the test when it resolves or throws something else). */
async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (raised: unknown) => raised,
  )
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`)
  return error
}

async function register(user: PasskeyUser, name?: string) {
  const authenticator = createSoftwareAuthenticator()
  const options = await createRegistrationOptions(deps(), user)
  const response = authenticator.createCredential(options, ORIGIN)
  const passkey = await verifyRegistration(deps(), user, response, { name })
  return { authenticator, passkey }
}

describe('userHandleOf', () => {
  it('is the 16 bytes of the UUID', () => {
    const handleBytes = userHandleOf('0190f5a2-7b3c-7def-8123-456789abcdef')
    expect(encodeHexLowerCase(handleBytes)).toBe('0190f5a27b3c7def8123456789abcdef')
  })
})

describe('challenges', () => {
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  it('refuses a sign-in after the challenge TTL', async () => {
    const user = await createUser()
    const { authenticator } = await register(user)
    const { challengeId, options } = await createAuthenticationOptions(deps(50))
    const response = authenticator.getAssertion(options, ORIGIN)
    await sleep(120)
    const error = await refusal(verifyAuthentication(deps(), challengeId, response))
    expect([error.status, error.code]).toEqual([400, 'challenge_expired'])
  })

  it('accepts the same sign-in within the TTL', async () => {
    const user = await createUser()
    const { authenticator } = await register(user)
    const { challengeId, options } = await createAuthenticationOptions(deps(5_000))
    const result = await verifyAuthentication(
      deps(),
      challengeId,
      authenticator.getAssertion(options, ORIGIN),
    )
    expect(result.userId).toBe(user.id)
  })

  it('refuses a registration after the challenge TTL', async () => {
    const user = await createUser()
    const options = await createRegistrationOptions(deps(50), user)
    const response = createSoftwareAuthenticator().createCredential(options, ORIGIN)
    await sleep(120)
    const error = await refusal(verifyRegistration(deps(), user, response))
    expect(error.code).toBe('challenge_expired')
  })

  it('consumes an authentication challenge even when verification fails', async () => {
    const user = await createUser()
    const { authenticator } = await register(user)
    const { challengeId, options } = await createAuthenticationOptions(deps())
    const wrong = authenticator.getAssertion(options, 'https://evil.example.test')
    expect((await refusal(verifyAuthentication(deps(), challengeId, wrong))).code).toBe('verification_failed')
    const right = authenticator.getAssertion(options, ORIGIN)
    expect((await refusal(verifyAuthentication(deps(), challengeId, right))).code).toBe('challenge_expired')
  })
})

describe('verifyRegistration', () => {
  it('trims the display name and cuts it at 60 characters', async () => {
    const user = await createUser()
    const { passkey } = await register(user, `  ${'n'.repeat(70)}  `)
    expect(passkey.name).toBe('n'.repeat(60))
  })

  it('stores no name for a blank one', async () => {
    const user = await createUser()
    const { passkey } = await register(user, '   ')
    expect(passkey.name).toBeNull()
  })

  it('answers 400 (not an exception) for an undecodable attestation', async () => {
    const user = await createUser()
    const options = await createRegistrationOptions(deps(), user)
    const response = createSoftwareAuthenticator().createCredential(options, ORIGIN)
    const broken = { ...response, response: { ...response.response, attestationObject: 'AAAA' } }
    const error = await refusal(verifyRegistration(deps(), user, broken))
    expect([error.status, error.code]).toEqual([400, 'verification_failed'])
    expect(await handle.db.select().from(passkeys).where(eq(passkeys.userId, user.id))).toEqual([])
  })
})

describe('verifyAuthentication', () => {
  it('refuses an id that is not base64url before touching the database', async () => {
    const { challengeId } = await createAuthenticationOptions(deps())
    const response = {
      id: 'bad\u0000id',
      rawId: 'bad\u0000id',
      type: 'public-key' as const,
      response: { clientDataJSON: 'AAAA', authenticatorData: 'AAAA', signature: 'AAAA' },
      clientExtensionResults: {},
    }
    const error = await refusal(verifyAuthentication(deps(), challengeId, response))
    expect([error.status, error.code]).toEqual([400, 'unknown_credential'])
  })
})

describe('assertWithinRateLimit', () => {
  it('throws 429 with Retry-After once the budget is spent', async () => {
    const limiter = createRateLimiter(bus, {
      name: `passkeys-${crypto.randomUUID()}`,
      limit: 1,
      windowMs: 60_000,
    })
    await assertWithinRateLimit(limiter, '192.0.2.1')
    const error = await refusal(assertWithinRateLimit(limiter, '192.0.2.1'))
    expect([error.status, error.code]).toEqual([429, 'too_many_requests'])
    expect(Number(error.headers?.['retry-after'])).toBeGreaterThan(0)
  })
})
