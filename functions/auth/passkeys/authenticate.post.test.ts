import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { generateKeyPairSync } from 'node:crypto'
import { encodeBase64urlNoPadding } from '@oslojs/encoding'
import { eq } from 'drizzle-orm'
import { userHandleOf } from '../../../core/auth/passkeys.ts'
import { createSoftwareAuthenticator } from '../../../core/auth/testing/software-authenticator.ts'
import { passkeys, sessions, users } from '../../../db/schema/index.ts'
import { createPasskeyTestContext, nextIp, ORIGIN, RP_ID, SECOND_ORIGIN } from './_testing.ts'

let ctx: Awaited<ReturnType<typeof createPasskeyTestContext>>

// Migrating a fresh database and loading every route takes a few seconds on a busy machine.
beforeAll(async () => {
  ctx = await createPasskeyTestContext()
}, 30_000)
afterAll(() => ctx.close())

/** A user with one registered passkey, and the authenticator holding it. */
async function userWithPasskey(authenticator = createSoftwareAuthenticator()) {
  const user = await ctx.createUser()
  const registered = await ctx.registerPasskey(user, authenticator)
  if (registered.status !== 200) throw new Error(`registration failed: ${JSON.stringify(registered.json)}`)
  return { user, authenticator, credentialId: registered.credentialId }
}

const storedPasskey = async (id: string) => {
  const [row] = await ctx.services.db.select().from(passkeys).where(eq(passkeys.id, id))
  return row!
}

describe('POST /api/auth/passkeys/authentication-options', () => {
  it('offers discoverable options (no allow list) with a challenge id', async () => {
    const res = await ctx.call('POST', '/api/auth/passkeys/authentication-options', undefined, {
      'x-forwarded-for': nextIp(),
    })
    expect(res.status).toBe(200)
    expect(res.json.challengeId).toMatch(/^[a-z2-7]{32}$/)
    expect(res.json.options).toMatchObject({
      rpId: RP_ID,
      allowCredentials: [],
      userVerification: 'preferred',
    })
    expect(res.json.options.challenge).toMatch(/^[A-Za-z0-9_-]{32,}$/)
  })

  it('is rate limited per IP with 429 and Retry-After', async () => {
    const ip = nextIp()
    const statuses: number[] = []
    let last: Awaited<ReturnType<typeof ctx.call>> | undefined
    for (let i = 0; i < 6; i++) {
      last = await ctx.call('POST', '/api/auth/passkeys/authentication-options', undefined, {
        'x-forwarded-for': ip,
      })
      statuses.push(last.status)
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429])
    expect(last!.json.error.code).toBe('too_many_requests')
    expect(Number(last!.headers.get('retry-after'))).toBeGreaterThan(0)
  })
})

describe('POST /api/auth/passkeys/authenticate', () => {
  it('signs in with a discoverable passkey; the token opens GET /api/auth/session', async () => {
    const { user, authenticator } = await userWithPasskey()
    const res = await ctx.signInWithPasskey(authenticator)
    expect(res.status).toBe(200)
    expect(res.headers.get('set-cookie')).toContain('__Host-session=')
    const session = await ctx.call('GET', '/api/auth/session', undefined, {
      authorization: `Bearer ${res.json.token}`,
    })
    expect(session.status).toBe(200)
    expect(session.json.user).toMatchObject({ id: user.id, email: user.email })
  })

  it('signs in from every configured origin', async () => {
    const { authenticator } = await userWithPasskey()
    const res = await ctx.signInWithPasskey(authenticator, { origin: SECOND_ORIGIN })
    expect(res.status).toBe(200)
  })

  it('audits the sign-in with method passkey', async () => {
    const { user, authenticator } = await userWithPasskey()
    await ctx.signInWithPasskey(authenticator)
    const entries = await ctx.auditEntries('auth.sign_in', { actorUserId: user.id })
    expect(entries.map((entry) => (entry.data as { method: string }).method)).toEqual(['passkey'])
  })

  it('stores the new counter, backup state and last use', async () => {
    const { authenticator, credentialId } = await userWithPasskey()
    expect((await storedPasskey(credentialId)).lastUsedAt).toBeNull()
    await ctx.signInWithPasskey(authenticator)
    await ctx.signInWithPasskey(authenticator)
    const row = await storedPasskey(credentialId)
    expect(row.counter).toBe(2)
    expect(row.lastUsedAt).toBeInstanceOf(Date)
  })

  it('refuses a challenge used twice', async () => {
    const { authenticator } = await userWithPasskey()
    const first = await ctx.signInWithPasskey(authenticator)
    expect(first.status).toBe(200)
    // A fresh, correctly signed assertion over the same (consumed) challenge.
    const replay = await ctx.authenticate(
      first.challengeId,
      authenticator.getAssertion(first.options, ORIGIN),
    )
    expect(replay.status).toBe(400)
    expect(replay.json.error.code).toBe('challenge_expired')
  })

  it('refuses an unknown challenge id', async () => {
    const { authenticator } = await userWithPasskey()
    const { options } = await ctx.authenticationOptions()
    const res = await ctx.authenticate('a'.repeat(32), authenticator.getAssertion(options, ORIGIN))
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('challenge_expired')
  })

  it('refuses an assertion made for another origin, and audits it', async () => {
    const { authenticator, credentialId } = await userWithPasskey()
    const res = await ctx.signInWithPasskey(authenticator, { origin: 'https://evil.example.test' })
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('verification_failed')
    const [entry] = await ctx.auditEntries('auth.passkey_failed', { subject: credentialId })
    expect(entry?.data).toMatchObject({ stage: 'authentication', reason: expect.stringContaining('origin') })
  })

  it('refuses a counter that did not grow (a cloned authenticator), and audits it', async () => {
    const { authenticator, credentialId } = await userWithPasskey()
    expect((await ctx.signInWithPasskey(authenticator)).status).toBe(200)
    authenticator.setSignCount(credentialId, 0) // the clone still reports 1, already seen
    const res = await ctx.signInWithPasskey(authenticator)
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('counter_regression')
    expect((await storedPasskey(credentialId)).counter).toBe(1)
    const [entry] = await ctx.auditEntries('auth.passkey_failed', { subject: credentialId })
    expect(entry?.data).toEqual({ stage: 'authentication', reason: 'counter 1 after 1' })
  })

  it('lets an authenticator that never counts (always 0) sign in repeatedly', async () => {
    const { authenticator } = await userWithPasskey(createSoftwareAuthenticator({ countSignatures: false }))
    expect((await ctx.signInWithPasskey(authenticator)).status).toBe(200)
    expect((await ctx.signInWithPasskey(authenticator)).status).toBe(200)
  })

  it('refuses a response signed by another key', async () => {
    const { authenticator, credentialId } = await userWithPasskey()
    authenticator.credentials.get(credentialId)!.privateKey = generateKeyPairSync('ec', {
      namedCurve: 'P-256',
    }).privateKey
    const res = await ctx.signInWithPasskey(authenticator)
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('verification_failed')
  })

  it("refuses a user handle that is not the credential owner's", async () => {
    const { authenticator } = await userWithPasskey()
    const other = await ctx.createUser()
    const res = await ctx.signInWithPasskey(authenticator, {
      tamper: (response) => ({
        ...response,
        response: { ...response.response, userHandle: encodeBase64urlNoPadding(userHandleOf(other.id)) },
      }),
    })
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('verification_failed')
  })

  it('refuses a credential that is not registered', async () => {
    const user = await ctx.createUser()
    const creation = await ctx.call(
      'POST',
      '/api/auth/passkeys/registration-options',
      undefined,
      user.headers,
    )
    const stranger = createSoftwareAuthenticator()
    stranger.createCredential(creation.json, ORIGIN) // made on the device, never sent to the server
    const res = await ctx.signInWithPasskey(stranger)
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('unknown_credential')
  })

  it('refuses a disabled user', async () => {
    const { user, authenticator } = await userWithPasskey()
    await ctx.services.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, user.id))
    const res = await ctx.signInWithPasskey(authenticator)
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('account_disabled')
  })

  it('answers 400, not 500, for garbage inside well-formed fields', async () => {
    const { challengeId } = await ctx.authenticationOptions()
    const { credentialId } = await userWithPasskey()
    const res = await ctx.authenticate(challengeId, {
      id: credentialId,
      rawId: credentialId,
      type: 'public-key',
      response: { clientDataJSON: 'AAAA', authenticatorData: 'AAAA', signature: 'AAAA' },
      clientExtensionResults: {},
    })
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('verification_failed')
  })

  it('answers 422 for a malformed challenge id', async () => {
    const { authenticator } = await userWithPasskey()
    const { options } = await ctx.authenticationOptions()
    const res = await ctx.authenticate('NOT A TOKEN!', authenticator.getAssertion(options, ORIGIN))
    expect(res.status).toBe(422)
    expect(res.json.error.details.map((issue: { field: string }) => issue.field)).toContain(
      'body.challengeId',
    )
  })

  it('is rate limited per IP with 429 and Retry-After', async () => {
    const ip = nextIp()
    const { authenticator } = await userWithPasskey()
    const { options } = await ctx.authenticationOptions()
    const statuses: number[] = []
    for (let i = 0; i < 6; i++) {
      const res = await ctx.authenticate('b'.repeat(32), authenticator.getAssertion(options, ORIGIN), ip)
      statuses.push(res.status)
      if (res.status === 429) expect(res.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/)
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429])
  })

  it('opens no session and audits no sign-in for a refused attempt', async () => {
    const { user, authenticator } = await userWithPasskey()
    await ctx.signInWithPasskey(authenticator, { origin: 'https://evil.example.test' })
    const opened = await ctx.services.db.select().from(sessions).where(eq(sessions.userId, user.id))
    expect(opened).toHaveLength(1) // the one the test made directly
    expect(await ctx.auditEntries('auth.sign_in', { actorUserId: user.id })).toEqual([])
  })
})
