import { and, eq, isNull, lt, or, sql } from 'drizzle-orm'
import { type Database, rowsOf } from '../../db/client.ts'
import { otpCodes, people, users } from '../../db/schema/index.ts'
import { withPlatformScope } from '../../db/tenant.ts'
import type { AuthConfig } from '../config.ts'
import { AppError } from '../errors.ts'
import type { Logger } from '../log.ts'
import { appendAudit } from './audit.ts'
import { equalBytes, randomDigits, randomToken, sha256Bytes } from './crypto.ts'
import type { Mailer } from './mailer.ts'
import {
  assertMayGuess,
  assertMayRequestCode,
  countWrongGuess,
  type SignInLimiters,
} from './sign-in-limits.ts'

export interface OtpDeps {
  db: Database
  mailer: Mailer
  auth: AuthConfig
  log: Logger
  limiters: SignInLimiters
}

/** A pending code is safe from being replaced by a new request for this long (anti lock-out). */
export const OTP_REPLACE_AFTER_MS = 60_000

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

/** The code is hashed together with the attempt secret, so a leaked table cannot be brute-forced offline. */
function codeHash(attempt: string, code: string): Uint8Array {
  return sha256Bytes(`${attempt}:${code}`)
}

/**
 * Whether anyone may sign in with the address: a user, or a person imported into a PH. One statement
 * on the lower(email) indexes, the same for a known and an unknown address (sign-in timing must not
 * tell who has an account). People belong to PHs (row-level security); this look-up is platform-level.
 */
async function isKnownEmail(db: Database, email: string): Promise<boolean> {
  const [row] = rowsOf<{ known: boolean }>(
    await withPlatformScope(db, (tx) =>
      tx.execute(
        sql`select (exists (select 1 from ${users} where lower(${users.email}) = ${email})
          or exists (select 1 from ${people} where lower(${people.email}) = ${email})) as known`,
      ),
    ),
  )
  return row?.known === true
}

/**
 * Starts a sign-in by email code. Always answers the same way (a fresh attempt token), whether or
 * not the address is known; only known addresses (users, or people imported into a PH) get a code.
 * A new request invalidates the address's earlier codes that are older than a minute: requests for
 * someone else's address cannot keep killing the code that person is about to type.
 */
export async function requestOtp(
  deps: OtpDeps,
  input: { email: string; ip: string; language?: 'es' | 'en' },
): Promise<{ attempt: string; expiresInSeconds: number }> {
  const email = normalizeEmail(input.email)
  await assertMayRequestCode(deps.limiters, deps.auth, { email, ip: input.ip })
  const attempt = randomToken()
  const expiresInSeconds = Math.round(deps.auth.otpTtlMs / 1000)
  // Opportunistic cleanup keeps the table small without a separate job.
  await deps.db.delete(otpCodes).where(lt(otpCodes.expiresAt, new Date(Date.now() - 3_600_000)))
  const known = await isKnownEmail(deps.db, email)
  // Unknown addresses get the same database work (a code nobody receives), so timing reveals nothing.
  const code = randomDigits(6)
  await deps.db.transaction(async (tx) => {
    await tx
      .update(otpCodes)
      .set({ consumedAt: new Date() })
      .where(
        and(
          eq(otpCodes.email, email),
          isNull(otpCodes.consumedAt),
          lt(otpCodes.createdAt, new Date(Date.now() - OTP_REPLACE_AFTER_MS)),
        ),
      )
    await tx.insert(otpCodes).values({
      email,
      codeHash: codeHash(attempt, code),
      attemptHash: sha256Bytes(attempt),
      expiresAt: new Date(Date.now() + deps.auth.otpTtlMs),
    })
  })
  if (!known) return { attempt, expiresInSeconds }
  const minutes = Math.round(deps.auth.otpTtlMs / 60_000)
  const english = input.language === 'en'
  // Not awaited: the answer must not take longer for known addresses than for unknown ones.
  deps.mailer
    .send({
      to: email,
      subject: english ? `Your sign-in code: ${code}` : `Su código de acceso: ${code}`,
      text: english
        ? `Your code is ${code}. It is valid for ${minutes} minutes. If you did not ask for it, ignore this message.`
        : `Su código es ${code}. Es válido por ${minutes} minutos. Si usted no lo solicitó, ignore este mensaje.`,
    })
    .catch((error) => deps.log.error('sign-in code not sent', { error }))
  return { attempt, expiresInSeconds }
}

const invalid = (remaining?: number) =>
  new AppError(
    400,
    'invalid_code',
    'The code is not valid',
    remaining === undefined ? undefined : { remainingAttempts: remaining },
  )

/**
 * Checks a code against the attempt that requested it. A code is consumed atomically on success,
 * and dies after `otpMaxAttempts` wrong tries or its expiry. Returns the user (created on first
 * sign-in, and linked to the PH people records with the same email).
 */
export async function verifyOtp(
  deps: Pick<OtpDeps, 'db' | 'auth' | 'limiters'>,
  input: { email: string; attempt: string; code: string; ip?: string | null },
): Promise<{ userId: string; created: boolean }> {
  const { db, auth } = deps
  const ip = input.ip ?? null
  const email = normalizeEmail(input.email)
  const [row] = await db
    .select()
    .from(otpCodes)
    .where(
      and(
        eq(otpCodes.email, email),
        eq(otpCodes.attemptHash, sha256Bytes(input.attempt)),
        isNull(otpCodes.consumedAt),
      ),
    )
    .limit(1)
  if (!row) throw invalid()
  await assertMayGuess(deps.limiters, auth, { email, ip, firstTry: row.failedAttempts === 0 })
  if (row.expiresAt.getTime() <= Date.now()) {
    throw new AppError(400, 'code_expired', 'The code has expired; ask for a new one')
  }
  if (!equalBytes(new Uint8Array(row.codeHash), codeHash(input.attempt, input.code))) {
    const [updated] = await db
      .update(otpCodes)
      .set({
        failedAttempts: sql`${otpCodes.failedAttempts} + 1`,
        consumedAt: sql`case when ${otpCodes.failedAttempts} + 1 >= ${auth.otpMaxAttempts} then now() else null end`,
      })
      .where(and(eq(otpCodes.id, row.id), isNull(otpCodes.consumedAt)))
      .returning({ failedAttempts: otpCodes.failedAttempts })
    await countWrongGuess(deps.limiters, { email, ip })
    await appendAudit(db, { action: 'auth.otp_failed', subject: email, ip })
    const remaining = Math.max(0, auth.otpMaxAttempts - (updated?.failedAttempts ?? auth.otpMaxAttempts))
    if (remaining === 0)
      throw new AppError(400, 'too_many_attempts', 'Too many wrong codes; ask for a new one')
    throw invalid(remaining)
  }
  const [consumed] = await db
    .update(otpCodes)
    .set({ consumedAt: new Date() })
    .where(
      and(
        eq(otpCodes.id, row.id),
        isNull(otpCodes.consumedAt),
        lt(otpCodes.failedAttempts, auth.otpMaxAttempts),
        sql`${otpCodes.expiresAt} > now()`,
      ),
    )
    .returning({ id: otpCodes.id })
  if (!consumed) throw invalid()
  return findOrCreateUser(db, email)
}

/** The user with this email, created on first sign-in and linked to matching PH people records. */
export async function findOrCreateUser(
  db: Database,
  email: string,
): Promise<{ userId: string; created: boolean }> {
  const normalized = normalizeEmail(email)
  return withPlatformScope(db, async (tx) => {
    const [existing] = await tx
      .select({ id: users.id })
      .from(users)
      .where(sql`lower(${users.email}) = ${normalized}`)
    let userId = existing?.id
    let created = false
    if (!userId) {
      const [person] = await tx
        .select({ fullName: people.fullName })
        .from(people)
        .where(sql`lower(${people.email}) = ${normalized}`)
        .limit(1)
      const [user] = await tx
        .insert(users)
        .values({ email: normalized, displayName: person?.fullName ?? null })
        .onConflictDoNothing()
        .returning({ id: users.id })
      if (user) {
        userId = user.id
        created = true
      } else {
        const [raced] = await tx
          .select({ id: users.id })
          .from(users)
          .where(sql`lower(${users.email}) = ${normalized}`)
        userId = raced!.id
      }
    }
    await tx
      .update(people)
      .set({ userId })
      .where(
        and(
          sql`lower(${people.email}) = ${normalized}`,
          or(isNull(people.userId), eq(people.userId, userId)),
        ),
      )
    return { userId, created }
  })
}
