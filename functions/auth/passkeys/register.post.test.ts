import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { encodeBase64urlNoPadding } from '@oslojs/encoding'
import { eq } from 'drizzle-orm'
import { userHandleOf } from '../../../core/auth/passkeys.ts'
import { createSoftwareAuthenticator } from '../../../core/auth/testing/software-authenticator.ts'
import { passkeys } from '../../../db/schema/index.ts'
import { createPasskeyTestContext, ORIGIN, RP_ID, SECOND_ORIGIN } from './_testing.ts'

let ctx: Awaited<ReturnType<typeof createPasskeyTestContext>>

// Migrating a fresh database and loading every route takes a few seconds on a busy machine.
beforeAll(async () => {
  ctx = await createPasskeyTestContext()
}, 30_000)
afterAll(() => ctx.close())

const storedPasskey = async (id: string) => {
  const [row] = await ctx.services.db.select().from(passkeys).where(eq(passkeys.id, id))
  return row
}

describe('POST /api/auth/passkeys/registration-options', () => {
  it('offers discoverable ES256/RS256/EdDSA options for the configured RP and the user', async () => {
    const user = await ctx.createUser()
    const res = await ctx.call('POST', '/api/auth/passkeys/registration-options', undefined, user.headers)
    expect(res.status).toBe(200)
    expect(res.json.rp).toEqual({ id: RP_ID, name: 'Assembly 2.0' })
    expect(res.json.user).toEqual({
      id: encodeBase64urlNoPadding(userHandleOf(user.id)),
      name: user.email,
      displayName: user.email,
    })
    expect(res.json.pubKeyCredParams.map((param: { alg: number }) => param.alg)).toEqual([-7, -257, -8])
    expect(res.json.authenticatorSelection).toMatchObject({
      residentKey: 'required',
      userVerification: 'preferred',
    })
    expect(res.json.challenge).toMatch(/^[A-Za-z0-9_-]{32,}$/)
  })

  it("excludes the user's existing passkeys", async () => {
    const user = await ctx.createUser()
    const first = await ctx.registerPasskey(user)
    const res = await ctx.call('POST', '/api/auth/passkeys/registration-options', undefined, user.headers)
    expect(res.json.excludeCredentials.map((descriptor: { id: string }) => descriptor.id)).toEqual([
      first.credentialId,
    ])
    expect(() => first.authenticator.createCredential(res.json, ORIGIN)).toThrow('already registered')
  })
})

describe('POST /api/auth/passkeys/register', () => {
  it('stores the credential made by the software authenticator', async () => {
    const user = await ctx.createUser()
    const res = await ctx.registerPasskey(user, undefined, { name: '  Laptop  ' })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({
      id: res.credentialId,
      name: 'Laptop',
      deviceType: 'singleDevice',
      backedUp: false,
    })
    const row = await storedPasskey(res.credentialId)
    expect(row).toMatchObject({ userId: user.id, counter: 0, transports: ['internal', 'hybrid'] })
    expect(row!.publicKey.length).toBeGreaterThan(64)
  })

  it('stores the backup flags of a synced passkey', async () => {
    const user = await ctx.createUser()
    const synced = createSoftwareAuthenticator({ backupEligible: true, backedUp: true })
    const res = await ctx.registerPasskey(user, synced)
    expect(res.json).toMatchObject({ deviceType: 'multiDevice', backedUp: true, name: null })
  })

  it('accepts every configured origin', async () => {
    const user = await ctx.createUser()
    const res = await ctx.registerPasskey(user, undefined, { origin: SECOND_ORIGIN })
    expect(res.status).toBe(200)
  })

  it('audits auth.passkey_added', async () => {
    const user = await ctx.createUser()
    const res = await ctx.registerPasskey(user, undefined, { name: 'Phone' })
    const [entry] = await ctx.auditEntries('auth.passkey_added', { subject: res.credentialId })
    expect(entry).toMatchObject({ actorUserId: user.id, data: { name: 'Phone', deviceType: 'singleDevice' } })
  })

  it('refuses a wrong origin, stores nothing and audits the failure', async () => {
    const user = await ctx.createUser()
    const res = await ctx.registerPasskey(user, undefined, { origin: 'https://evil.example.test' })
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('verification_failed')
    expect(await storedPasskey(res.credentialId)).toBeUndefined()
    const [failure] = await ctx.auditEntries('auth.passkey_failed', { actorUserId: user.id })
    expect(failure?.data).toMatchObject({ stage: 'registration', reason: expect.stringContaining('origin') })
  })

  it('refuses a credential scoped to another RP ID', async () => {
    const user = await ctx.createUser()
    const options = await ctx.call('POST', '/api/auth/passkeys/registration-options', undefined, user.headers)
    const response = createSoftwareAuthenticator().createCredential(
      { ...options.json, rp: { ...options.json.rp, id: 'evil.example.test' } },
      ORIGIN,
    )
    const res = await ctx.call('POST', '/api/auth/passkeys/register', response, user.headers)
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('verification_failed')
  })

  it('refuses a registration without a pending challenge', async () => {
    const user = await ctx.createUser()
    const other = await ctx.createUser()
    // Options issued to another user are bound to that user, not to this one.
    const options = await ctx.call(
      'POST',
      '/api/auth/passkeys/registration-options',
      undefined,
      other.headers,
    )
    const response = createSoftwareAuthenticator().createCredential(options.json, ORIGIN)
    const res = await ctx.call('POST', '/api/auth/passkeys/register', response, user.headers)
    expect(res.status).toBe(400)
    expect(res.json.error.code).toBe('challenge_expired')
  })

  it('uses a registration challenge only once', async () => {
    const user = await ctx.createUser()
    const first = await ctx.registerPasskey(user)
    expect(first.status).toBe(200)
    const replay = await ctx.call('POST', '/api/auth/passkeys/register', first.response, user.headers)
    expect(replay.status).toBe(400)
    expect(replay.json.error.code).toBe('challenge_expired')
  })

  it('refuses (409) a credential id already registered to another user, leaving it theirs', async () => {
    const owner = await ctx.createUser()
    const attacker = await ctx.createUser()
    const original = await ctx.registerPasskey(owner)
    const res = await ctx.registerPasskey(attacker, undefined, { credentialId: original.credentialId })
    expect(res.status).toBe(409)
    expect(res.json.error.code).toBe('passkey_exists')
    expect((await storedPasskey(original.credentialId))?.userId).toBe(owner.id)
  })

  it('answers 422 naming the field for a body without attestationObject', async () => {
    const user = await ctx.createUser()
    await ctx.call('POST', '/api/auth/passkeys/registration-options', undefined, user.headers)
    const res = await ctx.call(
      'POST',
      '/api/auth/passkeys/register',
      {
        id: 'AAAA',
        rawId: 'AAAA',
        type: 'public-key',
        response: { clientDataJSON: 'AAAA' },
        clientExtensionResults: {},
      },
      user.headers,
    )
    expect(res.status).toBe(422)
    expect(res.json.error.details.map((issue: { field: string }) => issue.field)).toContain(
      'body.response.attestationObject',
    )
  })

  it('answers 422 for a name over 60 characters', async () => {
    const user = await ctx.createUser()
    const res = await ctx.registerPasskey(user, undefined, { name: 'x'.repeat(61) })
    expect(res.status).toBe(422)
    expect(res.json.error.details.map((issue: { field: string }) => issue.field)).toContain('body.name')
  })
})
