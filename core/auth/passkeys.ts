import { decodeHex, encodeBase64urlNoPadding } from '@oslojs/encoding'
import {
  type AuthenticationResponseJSON,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server'
import { and, asc, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { passkeys, users } from '../../db/schema/index.ts'
import type { Bus } from '../bus/types.ts'
import { AppError } from '../errors.ts'
import { isUniqueViolation } from '../ph/errors.ts'
import { appendAudit } from './audit.ts'
import { randomToken } from './crypto.ts'

export interface PasskeyDeps {
  db: Database
  bus: Bus
  /** The WebAuthn relying party, from config: RP ID, display name and every allowed origin. */
  rp: { id: string; name: string; origins: string[] }
  /** How long a challenge stays usable (default 5 minutes). */
  challengeTtlMs?: number
}

export interface PasskeyUser {
  id: string
  email: string
  displayName: string | null
}

export interface PasskeySummary {
  id: string
  name: string | null
  deviceType: string
  backedUp: boolean
  createdAt: Date
  lastUsedAt: Date | null
}

const CHALLENGE_TTL_MS = 5 * 60_000
/** ES256 covers every platform authenticator; RS256 is Windows Hello's; EdDSA some security keys'. */
export const SUPPORTED_ALGORITHM_IDS = [-7, -257, -8]
export const PASSKEY_NAME_MAX = 60

const registrationKey = (userId: string) => `webauthn:registration:${userId}`
const authenticationKey = (challengeId: string) => `webauthn:authentication:${challengeId}`

const summaryColumns = {
  id: passkeys.id,
  name: passkeys.name,
  deviceType: passkeys.deviceType,
  backedUp: passkeys.backedUp,
  createdAt: passkeys.createdAt,
  lastUsedAt: passkeys.lastUsedAt,
}

/** The WebAuthn user handle: the 16 bytes of the user's UUID (stable, and no personal data). */
export function userHandleOf(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(decodeHex(userId.replaceAll('-', '')))
}

const challengeExpired = () =>
  new AppError(400, 'challenge_expired', 'The passkey challenge has expired or was already used; start again')

/**
 * Why a library check failed, for the audit log (never sent to the client). Control characters go:
 * the messages quote attacker bytes, and PostgreSQL refuses \u0000 in jsonb.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g
const reasonOf = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).replace(CONTROL_CHARACTERS, '?').slice(0, 300)

/** Awaits a library check; its exceptions (malformed input, wrong origin…) become a reason, not a 500. */
async function settle<T>(check: Promise<T>): Promise<[T, null] | [null, string]> {
  try {
    return [await check, null]
  } catch (error) {
    return [null, reasonOf(error)]
  }
}

const CREDENTIAL_ID = /^[A-Za-z0-9_-]{1,1364}$/

/**
 * Options for `navigator.credentials.create()` for a signed-in user. The credential must be
 * discoverable (so it can sign in without an email) and the user's passkeys are excluded so one
 * authenticator is not registered twice. The challenge is kept per user, single use.
 */
export async function createRegistrationOptions(
  deps: PasskeyDeps,
  user: PasskeyUser,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const ttl = deps.challengeTtlMs ?? CHALLENGE_TTL_MS
  const existing = await deps.db
    .select({ id: passkeys.id, transports: passkeys.transports })
    .from(passkeys)
    .where(eq(passkeys.userId, user.id))
  const options = await generateRegistrationOptions({
    rpName: deps.rp.name,
    rpID: deps.rp.id,
    userName: user.email,
    userID: userHandleOf(user.id),
    userDisplayName: user.displayName ?? user.email,
    timeout: ttl,
    excludeCredentials: existing.map((passkey) => ({ id: passkey.id, transports: passkey.transports })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    supportedAlgorithmIDs: SUPPORTED_ALGORITHM_IDS,
  })
  await deps.bus.set(registrationKey(user.id), options.challenge, ttl)
  return options
}

function normalizeName(name: string | null | undefined): string | null {
  const trimmed = name?.trim().slice(0, PASSKEY_NAME_MAX)
  return trimmed ? trimmed : null
}

const passkeyExists = () => new AppError(409, 'passkey_exists', 'This passkey is already registered')

/**
 * Verifies the attestation against the user's pending challenge, the configured origins and RP ID,
 * and stores the credential. A credential id already registered (to anyone) is refused with 409.
 */
export async function verifyRegistration(
  deps: PasskeyDeps,
  user: Pick<PasskeyUser, 'id'>,
  response: RegistrationResponseJSON,
  options: { name?: string | null; ip?: string | null } = {},
): Promise<PasskeySummary> {
  const challenge = await deps.bus.take(registrationKey(user.id))
  if (!challenge) throw challengeExpired()

  const [verified, failure] = await settle(
    verifyRegistrationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: deps.rp.origins,
      expectedRPID: deps.rp.id,
      // Matches userVerification 'preferred': a security key without a PIN may still register.
      requireUserVerification: false,
      supportedAlgorithmIDs: SUPPORTED_ALGORITHM_IDS,
    }),
  )
  if (!verified?.verified) {
    await auditFailure(deps.db, {
      stage: 'registration',
      reason: failure ?? 'attestation not verified',
      userId: user.id,
      ip: options.ip,
    })
    throw new AppError(400, 'verification_failed', 'The passkey could not be verified')
  }

  const info = verified.registrationInfo
  const id = info.credential.id
  const [taken] = await deps.db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.id, id))
  if (taken) throw passkeyExists()
  let created: PasskeySummary | undefined
  try {
    ;[created] = await deps.db
      .insert(passkeys)
      .values({
        id,
        userId: user.id,
        publicKey: info.credential.publicKey,
        counter: info.credential.counter,
        transports: info.credential.transports ?? [],
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        name: normalizeName(options.name),
      })
      .returning(summaryColumns)
  } catch (error) {
    // Two registrations of the same credential racing past the check above.
    if (isUniqueViolation(error)) throw passkeyExists()
    throw error
  }
  await appendAudit(deps.db, {
    action: 'auth.passkey_added',
    actorUserId: user.id,
    subject: id,
    ip: options.ip ?? null,
    data: { name: created!.name, deviceType: created!.deviceType, backedUp: created!.backedUp },
  })
  return created!
}

/**
 * Options for `navigator.credentials.get()` for discoverable sign-in (also browser autofill): no
 * allow list, so the authenticator offers whichever passkeys it holds for this RP. The challenge is
 * stored under a random `challengeId` the client sends back, single use.
 */
export async function createAuthenticationOptions(
  deps: PasskeyDeps,
): Promise<{ challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }> {
  const ttl = deps.challengeTtlMs ?? CHALLENGE_TTL_MS
  const options = await generateAuthenticationOptions({
    rpID: deps.rp.id,
    allowCredentials: [],
    userVerification: 'preferred',
    timeout: ttl,
  })
  const challengeId = randomToken()
  await deps.bus.set(authenticationKey(challengeId), options.challenge, ttl)
  return { challengeId, options }
}

async function auditFailure(
  db: Database,
  input: {
    stage: 'registration' | 'authentication'
    reason: string
    userId?: string
    credentialId?: string
    ip?: string | null
  },
): Promise<void> {
  await appendAudit(db, {
    action: 'auth.passkey_failed',
    actorUserId: input.userId ?? null,
    subject: input.credentialId ?? null,
    ip: input.ip ?? null,
    data: { stage: input.stage, reason: input.reason },
  })
}

/**
 * Verifies a sign-in assertion: the challenge (consumed whatever the outcome), the credential, the
 * signature against the stored key, origin and RP ID, the signature counter, and that the owner is
 * not disabled. Updates counter, backup state and last use; returns the user to sign in. Every refusal
 * is a 400 with a code, and refusals about a known credential are audited.
 */
export async function verifyAuthentication(
  deps: PasskeyDeps,
  challengeId: string,
  response: AuthenticationResponseJSON,
  context: { ip?: string | null } = {},
): Promise<{ userId: string; passkeyId: string }> {
  const challenge = await deps.bus.take(authenticationKey(challengeId))
  if (!challenge) throw challengeExpired()

  // Checked here too, not only at the HTTP edge: the id is used as a key and in the audit log.
  if (!CREDENTIAL_ID.test(response.id)) {
    throw new AppError(400, 'unknown_credential', 'This passkey is not registered here')
  }
  const refuse = async (code: string, message: string, reason: string, userId?: string) => {
    await auditFailure(deps.db, {
      stage: 'authentication',
      reason,
      userId,
      credentialId: response.id,
      ip: context.ip,
    })
    return new AppError(400, code, message)
  }
  const [row] = await deps.db
    .select({
      id: passkeys.id,
      userId: passkeys.userId,
      publicKey: passkeys.publicKey,
      counter: passkeys.counter,
      transports: passkeys.transports,
      disabledAt: users.disabledAt,
    })
    .from(passkeys)
    .innerJoin(users, eq(users.id, passkeys.userId))
    .where(eq(passkeys.id, response.id))
  if (!row) {
    throw await refuse('unknown_credential', 'This passkey is not registered here', 'unknown credential')
  }
  const userHandle = response.response.userHandle
  if (userHandle && userHandle !== encodeBase64urlNoPadding(userHandleOf(row.userId))) {
    throw await refuse(
      'verification_failed',
      'The passkey could not be verified',
      'user handle mismatch',
      row.userId,
    )
  }

  const [verified, failure] = await settle(
    verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: deps.rp.origins,
      expectedRPID: deps.rp.id,
      // Counter 0 turns off the library's own counter check, which runs before the signature check;
      // ours below runs after it, so only a genuinely signed regression is reported as a clone.
      credential: {
        id: row.id,
        publicKey: new Uint8Array(row.publicKey),
        counter: 0,
        transports: row.transports,
      },
      requireUserVerification: false,
    }),
  )
  if (!verified?.verified) {
    throw await refuse(
      'verification_failed',
      'The passkey could not be verified',
      failure ?? 'invalid signature',
      row.userId,
    )
  }

  const { newCounter, credentialBackedUp } = verified.authenticationInfo
  // WebAuthn §7.2 step 21: once either counter is in use, it must grow; otherwise the private key
  // may exist twice (a cloned authenticator). Authenticators that never count always send 0.
  if ((newCounter > 0 || row.counter > 0) && newCounter <= row.counter) {
    throw await refuse(
      'counter_regression',
      'This passkey sent an out-of-date signature counter and may have been cloned; use another sign-in method',
      `counter ${newCounter} after ${row.counter}`,
      row.userId,
    )
  }
  // Only after the signature: a caller without the key learns nothing about the account.
  if (row.disabledAt) {
    throw await refuse('account_disabled', 'This account is disabled', 'account disabled', row.userId)
  }
  await deps.db
    .update(passkeys)
    .set({ counter: newCounter, backedUp: credentialBackedUp, lastUsedAt: new Date() })
    .where(eq(passkeys.id, row.id))
  return { userId: row.userId, passkeyId: row.id }
}

/** The user's passkeys, oldest first. */
export async function listPasskeys(db: Database, userId: string): Promise<PasskeySummary[]> {
  return db
    .select(summaryColumns)
    .from(passkeys)
    .where(eq(passkeys.userId, userId))
    .orderBy(asc(passkeys.createdAt), asc(passkeys.id))
}

/** Deletes one of the user's own passkeys; another user's (or an unknown) id is a 404. */
export async function deletePasskey(
  db: Database,
  userId: string,
  passkeyId: string,
  context: { ip?: string | null } = {},
): Promise<void> {
  const [deleted] = await db
    .delete(passkeys)
    .where(and(eq(passkeys.id, passkeyId), eq(passkeys.userId, userId)))
    .returning({ id: passkeys.id, name: passkeys.name })
  if (!deleted) throw new AppError(404, 'not_found', 'Passkey not found')
  await appendAudit(db, {
    action: 'auth.passkey_removed',
    actorUserId: userId,
    subject: deleted.id,
    ip: context.ip ?? null,
    data: { name: deleted.name },
  })
}
