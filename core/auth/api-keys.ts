import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { and, asc, eq, isNull } from 'drizzle-orm'
import { type Database, openDatabase } from '../../db/client.ts'
import { apiKeys, organizations } from '../../db/schema/index.ts'
import { loadConfigOrExit } from '../config.ts'
import { AppError } from '../errors.ts'
import { appendAudit } from './audit.ts'
import { equalBytes, randomToken, sha256Bytes } from './crypto.ts'

/*
 * Keys for internal webhooks and service-to-service calls: `ak_<id>.<secret>`, the id (80 bits) to
 * find the row, the secret (160 bits) of which only the SHA-256 is stored, as for sessions.
 */

const KEY = /^ak_([a-z2-7]{16})\.([a-z2-7]{32})$/
const SCOPE = /^[a-z][a-z0-9_-]*(:[a-z][a-z0-9_-]*)*$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export interface ApiKeyIdentity {
  id: string
  name: string
  organizationId: string | null
  scopes: string[]
}

export interface ApiKeyListing extends ApiKeyIdentity {
  createdAt: Date
  revokedAt: Date | null
}

/** Creates a key; the returned `key` is the only time the secret exists outside the caller. */
export async function createApiKey(
  db: Database,
  input: { name: string; organizationId?: string | null; scopes: string[]; actorUserId?: string | null },
): Promise<{ id: string; key: string }> {
  const name = input.name.trim()
  if (name === '' || name.length > 100) {
    throw new AppError(422, 'invalid_name', 'The key needs a name of 1 to 100 characters')
  }
  if (input.scopes.length === 0) throw new AppError(422, 'invalid_scopes', 'The key needs at least one scope')
  const invalid = input.scopes.find((scope) => !SCOPE.test(scope))
  if (invalid !== undefined) {
    throw new AppError(422, 'invalid_scopes', `"${invalid}" is not a scope (e.g. votes:write)`)
  }
  const organizationId = input.organizationId ?? null
  if (organizationId !== null && !UUID.test(organizationId)) {
    throw new AppError(422, 'invalid_organization', 'The organization must be a UUID')
  }
  const id = randomToken(10)
  const secret = randomToken(20)
  const scopes = [...new Set(input.scopes)].sort()
  await db.transaction(async (tx) => {
    await tx.insert(apiKeys).values({ id, name, organizationId, scopes, secretHash: sha256Bytes(secret) })
    await appendAudit(tx as unknown as Database, {
      action: 'api_key.created',
      organizationId,
      actorUserId: input.actorUserId ?? null,
      subject: id,
      data: { name, scopes },
    })
  })
  return { id, key: `ak_${id}.${secret}` }
}

/** The key's identity when it is well formed, known, not revoked and its secret matches; else null. */
export async function verifyApiKey(db: Database, key: string): Promise<ApiKeyIdentity | null> {
  const match = KEY.exec(key)
  if (!match) return null
  const [, id, secret] = match as unknown as [string, string, string]
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id))
  if (!row) return null
  if (!equalBytes(new Uint8Array(row.secretHash), sha256Bytes(secret))) return null
  if (row.revokedAt) return null
  return { id: row.id, name: row.name, organizationId: row.organizationId, scopes: row.scopes }
}

/** Revokes a key at once; false when there is no such key or it was already revoked. */
export async function revokeApiKey(
  db: Database,
  id: string,
  actor: { actorUserId?: string | null } = {},
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id, organizationId: apiKeys.organizationId })
    if (!revoked) return false
    await appendAudit(tx as unknown as Database, {
      action: 'api_key.revoked',
      organizationId: revoked.organizationId,
      actorUserId: actor.actorUserId ?? null,
      subject: id,
    })
    return true
  })
}

/** Every key, oldest first, without anything secret. */
export async function listApiKeys(db: Database): Promise<ApiKeyListing[]> {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      organizationId: apiKeys.organizationId,
      scopes: apiKeys.scopes,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id))
}

export const API_KEYS_USAGE = `Usage:
  bun core/auth/api-keys.ts create --name <name> --scope <scope> [--scope <scope>…] [--organization <uuid>]
  bun core/auth/api-keys.ts revoke <id>
  bun core/auth/api-keys.ts list`

export type ApiKeysCommand =
  | { command: 'create'; name: string; scopes: string[]; organizationId: string | null }
  | { command: 'revoke'; id: string }
  | { command: 'list' }

/** The command line as a command, or null when it does not follow API_KEYS_USAGE. */
export function parseApiKeysCommand(argv: string[]): ApiKeysCommand | null {
  let parsed: ReturnType<typeof parseOptions>
  try {
    parsed = parseOptions(argv)
  } catch {
    return null
  }
  const { positionals, values } = parsed
  const [command, ...rest] = positionals
  if (command === 'create' && rest.length === 0 && values.name && values.scope) {
    return { command, name: values.name, scopes: values.scope, organizationId: values.organization ?? null }
  }
  const optionCount = Object.keys(values).length
  if (command === 'revoke' && rest.length === 1 && optionCount === 0) return { command, id: rest[0]! }
  if (command === 'list' && rest.length === 0 && optionCount === 0) return { command }
  return null
}

function parseOptions(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      name: { type: 'string' },
      scope: { type: 'string', multiple: true },
      organization: { type: 'string' },
    },
  })
}

export interface CliResult {
  exitCode: number
  stdout: string
  stderr: string
}

const done = (stdout: string): CliResult => ({ exitCode: 0, stdout: `${stdout}\n`, stderr: '' })
const refused = (stderr: string): CliResult => ({ exitCode: 1, stdout: '', stderr: `${stderr}\n` })

/** Runs a parsed command on an open database: exit code 0, or 1 when refused, with what to print. */
export async function runApiKeysCommand(db: Database, input: ApiKeysCommand): Promise<CliResult> {
  switch (input.command) {
    case 'create': {
      const { name, scopes, organizationId } = input
      if (organizationId !== null && UUID.test(organizationId)) {
        const [found] = await db
          .select({ id: organizations.id })
          .from(organizations)
          .where(eq(organizations.id, organizationId))
        if (!found) return refused(`No organization ${organizationId}`)
      }
      try {
        const { id, key } = await createApiKey(db, { name, scopes, organizationId })
        return done(
          [
            `Created API key ${id} (${name}).`,
            'The key is shown only this once; store it now:',
            '',
            `  ${key}`,
          ].join('\n'),
        )
      } catch (error) {
        if (error instanceof AppError) return refused(error.message)
        throw error
      }
    }
    case 'revoke':
      return (await revokeApiKey(db, input.id))
        ? done(`Revoked API key ${input.id}.`)
        : refused(`No active API key ${input.id}`)
    case 'list': {
      const keys = await listApiKeys(db)
      if (keys.length === 0) return done('No API keys.')
      const lines = keys.map((key) =>
        [
          key.id,
          key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active',
          key.name,
          key.scopes.join(','),
          key.organizationId ?? 'all organizations',
        ].join('\t'),
      )
      return done(lines.join('\n'))
    }
  }
}

if (import.meta.main) {
  const command = parseApiKeysCommand(Bun.argv.slice(2))
  if (!command) {
    console.error(API_KEYS_USAGE)
    process.exit(2)
  }
  const config = loadConfigOrExit()
  const handle = await openDatabase({ url: config.databaseUrl, pgliteDir: join(config.dataDir, 'pglite') })
  let result: CliResult
  try {
    result = await runApiKeysCommand(handle.db, command)
  } finally {
    await handle.close()
  }
  process.stdout.write(result.stdout)
  process.stderr.write(result.stderr)
  process.exit(result.exitCode)
}
