import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { eq } from 'drizzle-orm'
import { passkeys } from '../../../db/schema/index.ts'
import { createPasskeyTestContext } from './_testing.ts'

let ctx: Awaited<ReturnType<typeof createPasskeyTestContext>>

// Migrating a fresh database and loading every route takes a few seconds on a busy machine.
beforeAll(async () => {
  ctx = await createPasskeyTestContext()
}, 30_000)
afterAll(() => ctx.close())

const exists = async (id: string) =>
  (await ctx.services.db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.id, id))).length === 1

const remove = (id: string, headers: Record<string, string>) =>
  ctx.call('DELETE', `/api/auth/passkeys/${encodeURIComponent(id)}`, undefined, headers)

describe('DELETE /api/auth/passkeys/:passkeyId', () => {
  it('deletes my passkey, audits it, and it no longer signs in', async () => {
    const me = await ctx.createUser()
    const { credentialId, authenticator } = await ctx.registerPasskey(me, undefined, { name: 'Old phone' })
    const res = await remove(credentialId, me.headers)
    expect(res.status).toBe(200)
    expect(res.json).toEqual({ deleted: true })
    expect(await exists(credentialId)).toBe(false)
    const [entry] = await ctx.auditEntries('auth.passkey_removed', { subject: credentialId })
    expect(entry).toMatchObject({ actorUserId: me.id, data: { name: 'Old phone' } })
    const signIn = await ctx.signInWithPasskey(authenticator)
    expect(signIn.status).toBe(400)
    expect(signIn.json.error.code).toBe('unknown_credential')
  })

  it("answers 404 for another user's passkey and leaves it in place", async () => {
    const me = await ctx.createUser()
    const other = await ctx.createUser()
    const { credentialId } = await ctx.registerPasskey(other)
    const res = await remove(credentialId, me.headers)
    expect(res.status).toBe(404)
    expect(res.json.error.code).toBe('not_found')
    expect(await exists(credentialId)).toBe(true)
  })

  it('answers 404 for an unknown id', async () => {
    const me = await ctx.createUser()
    const res = await remove('bm8tc3VjaC1wYXNza2V5', me.headers)
    expect(res.status).toBe(404)
  })

  it('answers 422 for an id that is not base64url', async () => {
    const me = await ctx.createUser()
    const res = await remove('not base64url!', me.headers)
    expect(res.status).toBe(422)
    expect(res.json.error.details.map((issue: { field: string }) => issue.field)).toContain(
      'params.passkeyId',
    )
  })
})
