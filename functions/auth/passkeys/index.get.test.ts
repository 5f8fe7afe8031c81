import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { createPasskeyTestContext } from './_testing.ts'

let ctx: Awaited<ReturnType<typeof createPasskeyTestContext>>

// Migrating a fresh database and loading every route takes a few seconds on a busy machine.
beforeAll(async () => {
  ctx = await createPasskeyTestContext()
}, 30_000)
afterAll(() => ctx.close())

describe('GET /api/auth/passkeys', () => {
  it('lists only my passkeys, oldest first, with their metadata', async () => {
    const me = await ctx.createUser()
    const other = await ctx.createUser()
    const laptop = await ctx.registerPasskey(me, undefined, { name: 'Laptop' })
    const phone = await ctx.registerPasskey(me, undefined, { name: 'Phone' })
    await ctx.registerPasskey(other, undefined, { name: 'Not mine' })
    const res = await ctx.call('GET', '/api/auth/passkeys', undefined, me.headers)
    expect(res.status).toBe(200)
    expect(res.json.passkeys.map((passkey: { id: string }) => passkey.id)).toEqual([
      laptop.credentialId,
      phone.credentialId,
    ])
    expect(res.json.passkeys[0]).toEqual({
      id: laptop.credentialId,
      name: 'Laptop',
      deviceType: 'singleDevice',
      backedUp: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      lastUsedAt: null,
    })
  })

  it('answers an empty list for a user without passkeys', async () => {
    const me = await ctx.createUser()
    const res = await ctx.call('GET', '/api/auth/passkeys', undefined, me.headers)
    expect(res.json).toEqual({ passkeys: [] })
  })
})

describe('signed-in passkey routes', () => {
  it.each([
    ['POST', '/api/auth/passkeys/registration-options'],
    ['POST', '/api/auth/passkeys/register'],
    ['GET', '/api/auth/passkeys'],
    ['DELETE', '/api/auth/passkeys/some-credential-id'],
  ])('%s %s answers 401 to an anonymous call', async (method, path) => {
    const res = await ctx.call(method, path, method === 'POST' ? {} : undefined)
    expect(res.status).toBe(401)
    expect(res.json.error.code).toBe('unauthenticated')
  })
})
