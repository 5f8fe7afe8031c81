/**
 * Platform administrators without SQL, for the operator of an installation:
 *
 *   bun ops/admin.ts platform-admin add <email>      make <email> a platform administrator
 *   bun ops/admin.ts platform-admin remove <email>   take the role away again
 *   bun ops/admin.ts platform-admin list             who has it
 *
 * In production, inside the running stack: `docker compose exec functions bun ops/admin.ts …` (only
 * production dependencies are needed). The account is created if it does not exist; the person then
 * signs in at PUBLIC_URL/sign-in with an emailed code, opens /platform and creates the first PH and
 * its administrator (who receives an invitation email). Every change is written to the audit log.
 * Exit codes: 0 done (also when nothing had to change), 1 failure, 2 wrong command line.
 */
import { asc, eq, sql } from 'drizzle-orm'
import { appendAudit } from '../core/auth/audit.ts'
import { findOrCreateUser } from '../core/auth/otp.ts'
import { loadConfigOrExit } from '../core/config.ts'
import { normalizeEmail } from '../core/ph/validation.ts'
import { type Database, openDatabase } from '../db/client.ts'
import { users } from '../db/schema/index.ts'
import { withPlatformScope } from '../db/tenant.ts'

export const ADMIN_USAGE = `Usage: bun ops/admin.ts platform-admin add <email>
       bun ops/admin.ts platform-admin remove <email>
       bun ops/admin.ts platform-admin list

Makes an email address a platform administrator (who creates PHs and their administrators at
/platform), takes the role away, or lists who has it. The account is created if it is new; it
signs in with a code sent to that address. Uses DATABASE_URL (and the rest of the configuration).`

export type AdminCommand =
  | { action: 'add' | 'remove'; email: string }
  | { action: 'list' }
  | { action: 'help' }
  | { error: string }

/** Reads the command line (without `bun ops/admin.ts`). */
export function parseAdminCommand(args: string[]): AdminCommand {
  if (args.length === 0 || ['-h', '--help', 'help'].includes(args[0]!)) return { action: 'help' }
  if (args[0] !== 'platform-admin') return { error: `unknown command '${args[0]}'` }
  const [, action, email, ...rest] = args
  if (action === 'list' && email === undefined) return { action: 'list' }
  if (action !== 'add' && action !== 'remove')
    return { error: `unknown platform-admin action '${action ?? ''}'` }
  if (email === undefined) return { error: `platform-admin ${action} needs an email address` }
  if (rest.length > 0) return { error: `unexpected argument '${rest[0]}'` }
  const normalized = normalizeEmail(email)
  if (!normalized) return { error: `'${email}' is not an email address (e.g. ana@example.com)` }
  return { action, email: normalized }
}

/** Grants or revokes the role; says what changed. */
export async function setPlatformAdmin(db: Database, email: string, admin: boolean): Promise<string> {
  const { userId, created } = admin
    ? await findOrCreateUser(db, email)
    : await withPlatformScope(db, async (tx) => {
        const [row] = await tx
          .select({ id: users.id })
          .from(users)
          .where(sql`lower(${users.email}) = ${email}`)
        return { userId: row?.id ?? null, created: false }
      })
  if (!userId) return `${email} has no account; nothing to remove`
  const changed = await withPlatformScope(db, async (tx) => {
    const [before] = await tx
      .select({ isPlatformAdmin: users.isPlatformAdmin })
      .from(users)
      .where(eq(users.id, userId))
    if (before?.isPlatformAdmin === admin) return false
    await tx.update(users).set({ isPlatformAdmin: admin }).where(eq(users.id, userId))
    return true
  })
  if (!changed)
    return admin ? `${email} is already a platform administrator` : `${email} is not a platform administrator`
  await appendAudit(db, {
    action: admin ? 'platform_admin.granted' : 'platform_admin.revoked',
    subject: userId,
    data: { email, via: 'ops/admin.ts', accountCreated: created },
  })
  return admin
    ? `${email} is now a platform administrator${created ? ' (new account)' : ''}; they sign in with an emailed code and open /platform`
    : `${email} is no longer a platform administrator`
}

export async function listPlatformAdmins(db: Database): Promise<string[]> {
  return withPlatformScope(db, async (tx) => {
    const rows = await tx
      .select({ email: users.email })
      .from(users)
      .where(eq(users.isPlatformAdmin, true))
      .orderBy(asc(users.email))
    return rows.map((row) => row.email)
  })
}

if (import.meta.main) {
  const command = parseAdminCommand(Bun.argv.slice(2))
  if ('error' in command) {
    console.error(`ops/admin.ts: ${command.error}\n\n${ADMIN_USAGE}`)
    process.exit(2)
  }
  if (command.action === 'help') {
    console.log(ADMIN_USAGE)
    process.exit(0)
  }
  const config = loadConfigOrExit()
  if (!config.databaseUrl) {
    console.error(
      'ops/admin.ts: DATABASE_URL is not set (the embedded database belongs to a running bun start)',
    )
    process.exit(1)
  }
  const handle = await openDatabase({ url: config.databaseUrl, poolSize: 1 })
  try {
    if (command.action === 'list') {
      const admins = await listPlatformAdmins(handle.db)
      console.log(admins.length > 0 ? admins.join('\n') : '(no platform administrator yet)')
    } else {
      console.log(await setPlatformAdmin(handle.db, command.email, command.action === 'add'))
    }
  } catch (error) {
    console.error(`ops/admin.ts: ${(error as Error).message}`)
    process.exitCode = 1
  } finally {
    await handle.close()
  }
}
