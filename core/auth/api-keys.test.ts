import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import type { DatabaseHandle } from '../../db/client.ts'
import { apiKeys, auditLog, organizations } from '../../db/schema/index.ts'
import { createTestDatabase } from '../../db/testing.ts'
import { appErrorOf } from '../ph/testing.ts'
import {
  type ApiKeysCommand,
  createApiKey,
  listApiKeys,
  parseApiKeysCommand,
  revokeApiKey,
  runApiKeysCommand,
  verifyApiKey,
} from './api-keys.ts'
import { verifyAuditChain } from './audit.ts'
import { sha256Hex } from './crypto.ts'

let handle: DatabaseHandle
let organizationId: string

// The first PGlite start in a process can take well over the default 5 s under load.
beforeAll(async () => {
  handle = await createTestDatabase()
  const [organization] = await handle.db
    .insert(organizations)
    .values({ slug: 'ph-keys', name: 'PH Keys' })
    .returning({ id: organizations.id })
  organizationId = organization!.id
}, 60_000)
afterAll(() => handle.close())

const create = (input: Partial<Parameters<typeof createApiKey>[1]> = {}) =>
  createApiKey(handle.db, { name: 'bots', scopes: ['votes:write'], ...input })

const keyRow = async (id: string) => (await handle.db.select().from(apiKeys).where(eq(apiKeys.id, id)))[0]

describe('createApiKey', () => {
  it('returns ak_<id>.<secret> with a secret of at least 160 bits', async () => {
    const { id, key } = await create()
    const match = key.match(/^ak_([a-z2-7]+)\.([a-z2-7]+)$/)
    expect(match?.[1]).toBe(id)
    expect(match![2]!.length * 5).toBeGreaterThanOrEqual(160)
  })

  it('stores only the SHA-256 of the secret', async () => {
    const { id, key } = await create()
    const secret = key.split('.')[1]!
    const row = await keyRow(id)
    expect(Buffer.from(row!.secretHash).toString('hex')).toBe(sha256Hex(secret))
    for (const value of Object.values(row!)) {
      const text = value instanceof Uint8Array ? Buffer.from(value).toString('latin1') : String(value)
      expect(text).not.toContain(secret)
    }
  })

  it('gives every key its own id and secret', async () => {
    const keys = await Promise.all([1, 2, 3, 4, 5].map(() => create()))
    expect(new Set(keys.flatMap(({ key }) => key.split('.'))).size).toBe(10)
  })

  it('records the name, organization and scopes (deduplicated)', async () => {
    const { id } = await create({ name: ' webhook ', organizationId, scopes: ['votes:write', 'a', 'a'] })
    expect(await keyRow(id)).toMatchObject({ name: 'webhook', organizationId, scopes: ['a', 'votes:write'] })
  })

  it('audits the creation without the secret, keeping the chain whole', async () => {
    const { id, key } = await create({ organizationId })
    const [entry] = await handle.db.select().from(auditLog).where(eq(auditLog.subject, id))
    expect(entry).toMatchObject({ action: 'api_key.created', organizationId })
    expect(JSON.stringify(entry)).not.toContain(key.split('.')[1])
    expect(await verifyAuditChain(handle.db)).toMatchObject({ ok: true })
  })

  const invalid: [string, Partial<Parameters<typeof createApiKey>[1]>, string][] = [
    ['an empty name', { name: '  ' }, 'invalid_name'],
    ['an overlong name', { name: 'x'.repeat(101) }, 'invalid_name'],
    ['no scope', { scopes: [] }, 'invalid_scopes'],
    ['a scope with spaces', { scopes: ['votes write'] }, 'invalid_scopes'],
    ['an upper-case scope', { scopes: ['Votes:write'] }, 'invalid_scopes'],
    ['an empty scope', { scopes: ['votes:write', ''] }, 'invalid_scopes'],
    ['an organization that is not a UUID', { organizationId: 'ph-1' }, 'invalid_organization'],
  ]
  it.each(invalid)('refuses %s with 422', async (_name, input, code) => {
    expect(await appErrorOf(() => create(input))).toMatchObject({ status: 422, code })
  })
})

describe('verifyApiKey', () => {
  it('returns the identity of a valid key', async () => {
    const { id, key } = await create({ name: 'telegram-bot', organizationId, scopes: ['votes:write'] })
    expect(await verifyApiKey(handle.db, key)).toEqual({
      id,
      name: 'telegram-bot',
      organizationId,
      scopes: ['votes:write'],
    })
  })

  it('returns a null organization for an installation-wide key', async () => {
    const { key } = await create()
    expect((await verifyApiKey(handle.db, key))?.organizationId).toBeNull()
  })

  const refused: [string, (key: string, other: string) => string][] = [
    ['a wrong secret', (key) => `${key.split('.')[0]}.${'a'.repeat(32)}`],
    ['the secret of another key', (key, other) => `${key.split('.')[0]}.${other.split('.')[1]}`],
    ['an unknown id', (key) => `ak_${'b'.repeat(16)}.${key.split('.')[1]}`],
    ['no prefix', (key) => key.slice(3)],
    ['an upper-case key', (key) => key.toUpperCase()],
    ['a truncated secret', (key) => key.slice(0, -1)],
    ['an extra part', (key) => `${key}.x`],
    ['surrounding spaces', (key) => ` ${key} `],
    ['an empty string', () => ''],
    ['a session token', () => `${'c'.repeat(32)}.${'d'.repeat(32)}`],
  ]
  it.each(refused)('refuses %s', async (_name, mangle) => {
    const { key } = await create()
    const { key: other } = await create()
    expect(await verifyApiKey(handle.db, mangle(key, other))).toBeNull()
    expect(await verifyApiKey(handle.db, key)).not.toBeNull()
  })

  it('refuses a revoked key', async () => {
    const { id, key } = await create()
    await revokeApiKey(handle.db, id)
    expect(await verifyApiKey(handle.db, key)).toBeNull()
  })
})

describe('revokeApiKey', () => {
  it('revokes once, then reports nothing left to revoke', async () => {
    const { id } = await create()
    expect(await revokeApiKey(handle.db, id)).toBe(true)
    expect(await revokeApiKey(handle.db, id)).toBe(false)
  })

  it('reports an unknown key', async () => {
    expect(await revokeApiKey(handle.db, 'nosuchkey')).toBe(false)
  })

  it('leaves other keys working', async () => {
    const first = await create()
    const second = await create()
    await revokeApiKey(handle.db, first.id)
    expect(await verifyApiKey(handle.db, second.key)).not.toBeNull()
  })

  it('audits the revocation', async () => {
    const { id } = await create()
    await revokeApiKey(handle.db, id, { actorUserId: null })
    const actions = await handle.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.subject, id))
      .orderBy(auditLog.id)
    expect(actions.map((entry) => entry.action)).toEqual(['api_key.created', 'api_key.revoked'])
  })
})

describe('listApiKeys', () => {
  it('lists keys with their state and nothing secret', async () => {
    const { id } = await create({ name: 'listed' })
    await revokeApiKey(handle.db, id)
    const listed = (await listApiKeys(handle.db)).find((key) => key.id === id)
    expect(listed).toMatchObject({ id, name: 'listed', revokedAt: expect.any(Date) })
    expect(Object.keys(listed!)).not.toContain('secretHash')
  })
})

describe('parseApiKeysCommand', () => {
  const parsed: [string, string[], ApiKeysCommand | null][] = [
    [
      'create with several scopes',
      ['create', '--name', 'bots', '--scope', 'votes:write', '--scope', 'webhooks:whatsapp'],
      { command: 'create', name: 'bots', scopes: ['votes:write', 'webhooks:whatsapp'], organizationId: null },
    ],
    [
      'create for an organization',
      ['create', '--organization', 'x', '--name', 'ph', '--scope', 'votes:write'],
      { command: 'create', name: 'ph', scopes: ['votes:write'], organizationId: 'x' },
    ],
    ['revoke', ['revoke', 'abc'], { command: 'revoke', id: 'abc' }],
    ['list', ['list'], { command: 'list' }],
    ['no command', [], null],
    ['an unknown command', ['rotate'], null],
    ['create without a scope', ['create', '--name', 'bots'], null],
    ['create without a name', ['create', '--scope', 'votes:write'], null],
    ['an unknown option', ['create', '--name', 'bots', '--scope', 'votes:write', '--admin'], null],
    ['an option missing its value', ['create', '--scope', 'votes:write', '--name'], null],
    ['revoke without an id', ['revoke'], null],
    ['revoke with two ids', ['revoke', 'a', 'b'], null],
    ['revoke with an option', ['revoke', 'a', '--name', 'x'], null],
    ['list with an argument', ['list', 'all'], null],
  ]
  it.each(parsed)('parses %s', (_name, argv, expected) => {
    expect(parseApiKeysCommand(argv)).toEqual(expected)
  })
})

describe('runApiKeysCommand', () => {
  const run = (...argv: string[]) => {
    const command = parseApiKeysCommand(argv)
    if (!command) throw new Error(`not a command: ${argv.join(' ')}`)
    return runApiKeysCommand(handle.db, command)
  }

  it('creates a key and prints it once', async () => {
    const result = await run(
      'create',
      '--name',
      'bots',
      '--scope',
      'votes:write',
      '--scope',
      'webhooks:whatsapp',
    )
    expect(result.exitCode).toBe(0)
    const keys = result.stdout.match(/ak_[a-z2-7]+\.[a-z2-7]+/g) ?? []
    expect(keys).toHaveLength(1)
    expect(await verifyApiKey(handle.db, keys[0]!)).toMatchObject({
      name: 'bots',
      organizationId: null,
      scopes: ['votes:write', 'webhooks:whatsapp'],
    })
  })

  it('creates a key bound to an organization', async () => {
    const result = await run(
      'create',
      '--name',
      'ph',
      '--scope',
      'votes:write',
      '--organization',
      organizationId,
    )
    const key = result.stdout.match(/ak_[a-z2-7]+\.[a-z2-7]+/)![0]
    expect((await verifyApiKey(handle.db, key))?.organizationId).toBe(organizationId)
  })

  it('refuses an organization that does not exist (exit 1)', async () => {
    const missing = crypto.randomUUID()
    const result = await run('create', '--name', 'ph', '--scope', 'votes:write', '--organization', missing)
    expect(result).toMatchObject({ exitCode: 1, stdout: '' })
    expect(result.stderr).toContain(missing)
  })

  it('refuses an invalid scope (exit 1)', async () => {
    const result = await run('create', '--name', 'bots', '--scope', 'Votes Write')
    expect(result).toMatchObject({ exitCode: 1, stdout: '' })
    expect(result.stderr).toContain('Votes Write')
  })

  it('revokes a key by id, and says so when there is none', async () => {
    const { id, key } = await create()
    expect(await run('revoke', id)).toMatchObject({ exitCode: 0 })
    expect(await verifyApiKey(handle.db, key)).toBeNull()
    expect(await run('revoke', id)).toMatchObject({ exitCode: 1 })
  })

  it('lists ids and states without secrets', async () => {
    const { id, key } = await create({ name: 'to-list' })
    await revokeApiKey(handle.db, id)
    const result = await run('list')
    expect(result.exitCode).toBe(0)
    const line = result.stdout.split('\n').find((entry) => entry.startsWith(id))
    expect(line).toContain('revoked')
    expect(line).toContain('to-list')
    expect(result.stdout).not.toContain(key.split('.')[1])
  })

  it('runs as a command, answering a wrong command line with the usage before opening any database', async () => {
    const child = Bun.spawn(['bun', join(import.meta.dir, 'api-keys.ts'), 'rotate'], {
      env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
      stdout: 'pipe',
      stderr: 'pipe',
    })
    expect(await child.exited).toBe(2)
    expect(await new Response(child.stderr).text()).toContain('Usage:')
  })
})
