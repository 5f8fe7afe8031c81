import { and, eq, gt, isNull, lt } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { attendance, deskSignInCodes, people } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { isPresent } from '../assemblies/presence.ts'
import type { AuthConfig } from '../config.ts'
import { AppError } from '../errors.ts'
import { appendAudit } from './audit.ts'
import { sha256Hex } from './crypto.ts'
import { findOrCreateUser, normalizeEmail } from './otp.ts'
import { tooManyRequests } from './rate-limit.ts'
import type { SignInLimiters } from './sign-in-limits.ts'

/** A desk code lives this long: enough to walk from the desk to a seat, not to be reused later. */
export const DESK_CODE_TTL_MS = 10 * 60_000

/** No 0/O, 1/I/L: read aloud or copied from paper without mistakes. 31^10 ≈ 8·10^14 codes. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'
const LENGTH = 10

function newCode(): string {
  let out = ''
  while (out.length < LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(LENGTH * 2))) {
      // 248 = 8 × 31: rejection sampling keeps every character equally likely.
      if (byte < 248 && out.length < LENGTH) out += ALPHABET[byte % ALPHABET.length]
    }
  }
  return out
}

/** Upper-case, without spaces or dashes, as the owner may type it. */
export function normalizeDeskCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, '')
}

/** Shown as two groups of five, e.g. "K7M2P-9QRTX". */
export const formatDeskCode = (code: string) => `${code.slice(0, 5)}-${code.slice(5)}`

/**
 * Issues a one-time sign-in code for a person checked in to the assembly (owner or proxy holder),
 * for someone whose email does not arrive. The person needs an email on file: the account is the
 * one that email signs in to (created now if needed), so nothing is duplicated later.
 */
export async function issueDeskSignInCode(
  db: Database,
  input: {
    organizationId: string
    assemblyId: string
    personId: string
    actorUserId: string
    ip: string | null
  },
): Promise<{ code: string; expiresAt: Date; personName: string }> {
  const person = await withTenant(db, input.organizationId, async (tx) => {
    const [found] = await tx
      .select({ id: people.id, fullName: people.fullName, email: people.email })
      .from(people)
      .where(and(eq(people.id, input.personId), eq(people.organizationId, input.organizationId)))
    if (!found) throw new AppError(404, 'person_not_found', 'No such person in this PH')
    const [present] = await tx
      .select({ id: attendance.id })
      .from(attendance)
      .where(
        and(
          eq(attendance.organizationId, input.organizationId),
          eq(attendance.assemblyId, input.assemblyId),
          eq(attendance.personId, input.personId),
          isPresent,
        ),
      )
      .limit(1)
    if (!present) {
      throw new AppError(
        409,
        'not_checked_in',
        'Check the person in first; desk codes are for people present',
      )
    }
    return found
  })
  if (!person.email) {
    throw new AppError(
      422,
      'person_without_email',
      'This person has no email on file: add one in the roster, or record their ballot at the desk',
      { field: 'personId' },
    )
  }
  const { userId } = await findOrCreateUser(db, normalizeEmail(person.email))
  const code = newCode()
  const expiresAt = new Date(Date.now() + DESK_CODE_TTL_MS)
  await db.delete(deskSignInCodes).where(lt(deskSignInCodes.expiresAt, new Date(Date.now() - 3_600_000)))
  await db
    .insert(deskSignInCodes)
    .values({ userId, codeHash: sha256Hex(code), expiresAt, issuedByUserId: input.actorUserId })
  await appendAudit(db, {
    action: 'auth.desk_code_issued',
    organizationId: input.organizationId,
    actorUserId: input.actorUserId,
    subject: person.id,
    ip: input.ip,
    data: { assemblyId: input.assemblyId, expiresAt: expiresAt.toISOString() },
  })
  return { code, expiresAt, personName: person.fullName }
}

/** Signs in with a desk code: single use, before it expires; wrong codes count as guesses. */
export async function redeemDeskSignInCode(
  db: Database,
  deps: { auth: AuthConfig; limiters: SignInLimiters },
  input: { code: string; ip: string },
): Promise<{ userId: string }> {
  const limitFor = deps.auth.trustedNetworks.has(input.ip) ? deps.auth.guessLimitPerIp * 10 : undefined
  const verdict = await deps.limiters.guessIp.peek(input.ip, Date.now(), limitFor)
  if (!verdict.allowed) throw tooManyRequests(verdict.retryAfterSeconds, 'wrong codes')
  const [used] = await db
    .update(deskSignInCodes)
    .set({ consumedAt: new Date() })
    .where(
      and(
        eq(deskSignInCodes.codeHash, sha256Hex(normalizeDeskCode(input.code))),
        isNull(deskSignInCodes.consumedAt),
        gt(deskSignInCodes.expiresAt, new Date()),
      ),
    )
    .returning({ id: deskSignInCodes.id, userId: deskSignInCodes.userId })
  if (!used) {
    await deps.limiters.guessIp.count(input.ip)
    await appendAudit(db, { action: 'auth.desk_code_failed', ip: input.ip })
    throw new AppError(400, 'invalid_code', 'The code is not valid, was already used or has expired')
  }
  await appendAudit(db, {
    action: 'auth.desk_code_used',
    actorUserId: used.userId,
    subject: used.id,
    ip: input.ip,
  })
  return { userId: used.userId }
}
