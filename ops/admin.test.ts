/**
 * From an empty, migrated database to a signed-in first PH administrator, with no SQL and no demo
 * data, as ops/README.md tells the operator: `bun ops/admin.ts platform-admin add <email>`, sign in by
 * emailed code, create the first PH and its administrator, who receives an invitation email (real
 * SMTP, delivered to a local sink) and signs in with their own code.
 */
import { afterAll, beforeAll, describe, expect, it } from 'bun:test'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { readMessage, type SmtpSink, startSmtpSink } from '../core/mail/smtp-sink.ts'
import { openDatabase } from '../db/client.ts'
import { createScratchDatabases, databaseUrlFor, readUntil, repoRoot, run, stopProcess } from './testing.ts'

const databases = createScratchDatabases('admin')
const dataDir = mkdtempSync(join(tmpdir(), 'assembly-admin-'))
let databaseUrl = ''
let sink: SmtpSink
let child: Bun.Subprocess<'ignore', 'pipe', 'inherit'> | null = null
const OPERATOR = 'operadora@example.org'
const PH_ADMIN = 'admin.torre@example.org'

// Each test uses addresses of its own on the shared database, so the tests pass in any order; the
// walkthrough has a database of its own.
const adminOn = (url: string, ...args: string[]) =>
  run(['bun', 'ops/admin.ts', ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: url, LOG_LEVEL: 'warn' },
  })
const admin = (...args: string[]) => adminOn(databaseUrl, ...args)

async function queryOn<T>(url: string, text: string): Promise<T[]> {
  const client = postgres(url, { max: 1, onnotice: () => {} })
  try {
    return (await client.unsafe(text)) as unknown as T[]
  } finally {
    await client.end({ timeout: 5 })
  }
}
const query = <T>(text: string) => queryOn<T>(databaseUrl, text)
const userRow = async (email: string) =>
  queryOn<{ email: string; is_platform_admin: boolean }>(
    databaseUrl,
    `select email, is_platform_admin from users where lower(email) = '${email}'`,
  )
const auditOf = async (email: string) =>
  (
    await query<{ action: string }>(
      `select a.action from audit_log a join users u on u.id::text = a.subject where lower(u.email) = '${email}' and a.action like 'platform_admin.%' order by a.id`,
    )
  ).map((row) => row.action)

/** A new, migrated, empty database (no seed). */
async function freshDatabase(suffix: string): Promise<string> {
  const url = databaseUrlFor(await databases.create(suffix))
  const handle = await openDatabase({ url, poolSize: 1 })
  await handle.migrate()
  await handle.close()
  return url
}

beforeAll(async () => {
  databaseUrl = await freshDatabase('main')
  sink = startSmtpSink()
}, 60_000)

afterAll(async () => {
  if (child) await stopProcess(child)
  sink?.stop()
  await databases.dropAll()
  rmSync(dataDir, { recursive: true, force: true })
}, 30_000)

describe('bun ops/admin.ts platform-admin', () => {
  it('adds a platform administrator, creating the account, and audits it', async () => {
    const result = await admin('platform-admin', 'add', '  Nueva.Admin@Example.org ')
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain('nueva.admin@example.org is now a platform administrator (new account)')
    expect(result.exitCode).toBe(0)
    expect(await userRow('nueva.admin@example.org')).toEqual([
      { email: 'nueva.admin@example.org', is_platform_admin: true },
    ])
    expect(await auditOf('nueva.admin@example.org')).toEqual(['platform_admin.granted'])
  }, 30_000)

  it('is idempotent: adding again changes nothing and says so', async () => {
    const email = 'dos.veces@example.org'
    expect((await admin('platform-admin', 'add', email)).exitCode).toBe(0)
    const again = await admin('platform-admin', 'add', email)
    expect(again.exitCode).toBe(0)
    expect(again.stdout).toContain(`${email} is already a platform administrator`)
    expect(await userRow(email)).toHaveLength(1)
    expect(await auditOf(email)).toEqual(['platform_admin.granted'])
    expect((await admin('platform-admin', 'list')).stdout.split('\n')).toContain(email)
  }, 30_000)

  it.each([
    [
      ['platform-admin', 'add', 'not-an-email'],
      "'not-an-email' is not an email address (e.g. ana@example.com)",
    ],
    [['platform-admin', 'add', 'ana@example'], "'ana@example' is not an email address"],
    [['platform-admin', 'add'], 'platform-admin add needs an email address'],
    [['platform-admin', 'grant', 'ana@example.org'], "unknown platform-admin action 'grant'"],
    [['make-admin', 'ana@example.org'], "unknown command 'make-admin'"],
  ])(
    '%p is refused with a clear message and exit 2, changing nothing',
    async (args, message) => {
      const before = await query('select email, is_platform_admin from users order by email')
      const result = await admin(...args)
      expect(result.exitCode).toBe(2)
      expect(result.stderr).toContain(message)
      expect(result.stderr).toContain('Usage: bun ops/admin.ts platform-admin add <email>')
      expect(await query('select email, is_platform_admin from users order by email')).toEqual(before)
    },
    30_000,
  )

  it('remove takes the role away (idempotent too), and add gives it back', async () => {
    const email = 'temporal@example.org'
    expect((await admin('platform-admin', 'add', email)).exitCode).toBe(0)
    const removed = await admin('platform-admin', 'remove', email)
    expect(removed.stdout).toContain(`${email} is no longer a platform administrator`)
    expect(removed.exitCode).toBe(0)
    expect(await userRow(email)).toEqual([{ email, is_platform_admin: false }])
    expect((await admin('platform-admin', 'list')).stdout.split('\n')).not.toContain(email)
    expect((await admin('platform-admin', 'remove', email)).stdout).toContain(
      'is not a platform administrator',
    )
    expect((await admin('platform-admin', 'remove', 'nadie@example.org')).stdout).toContain('has no account')
    const added = await admin('platform-admin', 'add', email)
    expect(added.stdout).toContain(`${email} is now a platform administrator;`)
    expect(await userRow(email)).toEqual([{ email, is_platform_admin: true }])
    expect(await auditOf(email)).toEqual([
      'platform_admin.granted',
      'platform_admin.revoked',
      'platform_admin.granted',
    ])
  }, 30_000)

  it('--help explains itself', async () => {
    const result = await admin('--help')
    expect(result.exitCode).toBe(0)
    expect(result.stdout).toContain('platform-admin add <email>')
  }, 30_000)

  it('needs only production dependencies (it runs in the release image)', async () => {
    const built = await Bun.build({
      entrypoints: [join(repoRoot, 'ops/admin.ts')],
      target: 'bun',
      packages: 'external',
    })
    expect(built.success).toBe(true)
    const code = await built.outputs[0]!.text()
    const imported = new Set(
      [...code.matchAll(/from\s+"([^"./][^"]*)"/g)]
        .map((match) => match[1]!)
        .filter(
          (name) => !name.startsWith('node:') && !name.startsWith('bun') && !builtinModules.includes(name),
        )
        .map((name) => (name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!)),
    )
    const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'))
    expect(imported.size).toBeGreaterThan(0)
    for (const name of imported)
      expect({ name, production: name in pkg.dependencies }).toEqual({ name, production: true })
  }, 30_000)
})

describe('the operator reaches a signed-in first PH administrator', () => {
  let api = ''
  const post = async (path: string, body: unknown, token?: string) => {
    const response = await fetch(`${api}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })
    return { status: response.status, body: await response.json() }
  }
  /** Signs in by emailed code, reading the code from the mail the SMTP sink received. */
  async function signIn(email: string): Promise<string> {
    const before = sink.messages.length
    const requested = await post('/auth/otp/request', { email })
    expect(requested.status).toBe(200)
    const deadline = Date.now() + 10_000
    while (!sink.messages.slice(before).some((mail) => mail.to.includes(email)) && Date.now() < deadline)
      await Bun.sleep(25)
    const mail = sink.messages.slice(before).find((m) => m.to.includes(email))!
    const code = /\b(\d{6})\b/.exec(readMessage(mail.raw).text)![1]
    const verified = await post('/auth/otp/verify', { email, attempt: requested.body.attempt, code })
    expect(verified.status).toBe(200)
    return verified.body.token
  }

  it('signs in, creates the first PH, and its administrator is invited by email and signs in', async () => {
    const url = await freshDatabase('walkthrough')
    // An empty installation: no demo seed, no user at all.
    expect(await queryOn(url, 'select email from users')).toEqual([])
    expect((await adminOn(url, 'platform-admin', 'list')).stdout.trim()).toBe(
      '(no platform administrator yet)',
    )
    const added = await adminOn(url, 'platform-admin', 'add', OPERATOR)
    expect(added.exitCode).toBe(0)
    child = Bun.spawn(['bun', 'ops/start.ts'], {
      cwd: repoRoot,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/root',
        DATA_DIR: dataDir,
        DATABASE_URL: url,
        ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
        SMTP_URL: sink.url,
        MAIL_FROM: 'Asambleas <no-reply@example.org>',
        PUBLIC_URL: 'http://localhost:8080',
        FUNCTIONS_PORT: '0',
        REALTIME_PORT: '0',
        BOTS_PORT: '0',
        LOG_LEVEL: 'warn',
      },
      stdin: 'ignore',
      stdout: 'pipe',
      stderr: 'inherit',
    })
    api = (await readUntil(child.stdout, /API\s+(http:\/\/\S+\/api)\n/, 60_000))[1]!

    const operator = await signIn(OPERATOR)
    const session = await (
      await fetch(`${api}/auth/session`, { headers: { authorization: `Bearer ${operator}` } })
    ).json()
    expect(session.user.isPlatformAdmin).toBe(true)

    const created = await post(
      '/organizations',
      { name: 'Torre Pacífica', slug: 'torre-pacifica', adminEmail: 'Admin.Torre@example.org' },
      operator,
    )
    expect(created.status).toBe(200)
    expect(created.body.invitationSent).toBe(true)
    const organizationId = created.body.organization.id as string

    const invitation = await sink.waitForMailTo(PH_ADMIN)
    expect(invitation.from).toBe('no-reply@example.org')
    const text = readMessage(invitation.raw).text
    expect(invitation.raw).toMatch(/^Subject: =\?UTF-8\?Q\?Administraci=C3=B3n_de_Torre_Pac/m)
    expect(text).toContain('Le dieron acceso como administrador de Torre Pacífica')
    expect(text).toContain('You were made an administrator of Torre Pacífica')
    expect(text).toContain(
      `http://localhost:8080/sign-in?next=${encodeURIComponent(`/admin?organization=${organizationId}`)}`,
    )

    // The new administrator signs in with their own code and holds the ph_admin role of that PH.
    const phAdmin = await signIn(PH_ADMIN)
    const theirs = await (
      await fetch(`${api}/auth/session`, { headers: { authorization: `Bearer ${phAdmin}` } })
    ).json()
    expect(theirs.user.isPlatformAdmin).toBe(false)
    expect(
      theirs.organizations.map((org: { id: string; slug: string; roles: string[] }) => [
        org.id,
        org.slug,
        org.roles,
      ]),
    ).toEqual([[organizationId, 'torre-pacifica', ['ph_admin']]])
    // Nothing of the demo seed exists: one PH, two accounts.
    expect(await queryOn(url, 'select count(*)::int as n from organizations')).toEqual([{ n: 1 }])
    expect(await queryOn(url, 'select count(*)::int as n from users')).toEqual([{ n: 2 }])
  }, 120_000)
})
