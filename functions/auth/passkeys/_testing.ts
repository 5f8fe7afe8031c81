import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server'
import { and, eq } from 'drizzle-orm'
import { createSession } from '../../../core/auth/sessions.ts'
import {
  createSoftwareAuthenticator,
  type SoftwareAuthenticator,
} from '../../../core/auth/testing/software-authenticator.ts'
import { createTestServices } from '../../../core/services-testing.ts'
import { auditLog, users } from '../../../db/schema/index.ts'
import { createTestApp, jsonRequest } from '../../_lib/testing.ts'

/** The relying party of these tests: two origins under one RP ID, as config allows. */
export const ORIGIN = 'https://assembly.example.test'
export const SECOND_ORIGIN = 'https://voto.assembly.example.test'
export const RP_ID = 'assembly.example.test'

export type TestServices = Awaited<ReturnType<typeof createTestServices>>
export type TestApp = Awaited<ReturnType<typeof createTestApp>>

export interface TestUser {
  id: string
  email: string
  headers: Record<string, string>
}

let ipCounter = 0
/** A fresh client address, so each test has its own sign-in rate-limit budget. */
export const nextIp = () => `2001:db8::${(++ipCounter).toString(16)}`

export async function createPasskeyTestContext() {
  const services = await createTestServices({
    PUBLIC_URL: ORIGIN,
    WEBAUTHN_RP_ID: RP_ID,
    WEBAUTHN_ORIGINS: `${ORIGIN},${SECOND_ORIGIN}`,
    RATE_LIMIT_AUTH_PER_IP: '5',
  })
  const app = await createTestApp(services)

  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await app.handle(jsonRequest(method, path, body, headers))
    const text = await response.text()
    return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : null }
  }

  /** A user with a session, inserted directly (no sign-in flow needed). */
  const createUser = async (input: { disabled?: boolean } = {}): Promise<TestUser> => {
    const email = `user-${crypto.randomUUID().slice(0, 8)}@example.test`
    const [user] = await services.db
      .insert(users)
      .values({ email, disabledAt: input.disabled ? new Date() : null })
      .returning({ id: users.id })
    const { sessionIdleMs: idleMs, sessionAbsoluteMs: absoluteMs } = services.config.auth
    const session = await createSession(services.db, { userId: user!.id }, { idleMs, absoluteMs })
    return { id: user!.id, email, headers: { authorization: `Bearer ${session.token}` } }
  }

  /** Runs registration options → authenticator → register; returns the authenticator's answer too. */
  const registerPasskey = async (
    user: TestUser,
    authenticator: SoftwareAuthenticator = createSoftwareAuthenticator(),
    input: { origin?: string; name?: string; credentialId?: string } = {},
  ) => {
    const options = await call('POST', '/api/auth/passkeys/registration-options', undefined, user.headers)
    if (options.status !== 200) throw new Error(`registration options: ${options.status}`)
    const creation = options.json as PublicKeyCredentialCreationOptionsJSON
    const response = authenticator.createCredential(creation, input.origin ?? ORIGIN, {
      credentialId: input.credentialId,
    })
    const body = input.name === undefined ? response : { ...response, name: input.name }
    const result = await call('POST', '/api/auth/passkeys/register', body, user.headers)
    return { ...result, authenticator, credentialId: response.id, creation, response }
  }

  const authenticationOptions = async (ip = nextIp()) => {
    const res = await call('POST', '/api/auth/passkeys/authentication-options', undefined, {
      'x-forwarded-for': ip,
    })
    return res.json as { challengeId: string; options: PublicKeyCredentialRequestOptionsJSON }
  }

  const authenticate = (challengeId: string, response: AuthenticationResponseJSON, ip = nextIp()) =>
    call('POST', '/api/auth/passkeys/authenticate', { challengeId, response }, { 'x-forwarded-for': ip })

  /** A discoverable sign-in: options → authenticator → authenticate; `tamper` edits the assertion. */
  const signInWithPasskey = async (
    authenticator: SoftwareAuthenticator,
    input: {
      origin?: string
      tamper?: (response: AuthenticationResponseJSON) => AuthenticationResponseJSON
    } = {},
  ) => {
    const ip = nextIp()
    const { challengeId, options } = await authenticationOptions(ip)
    const assertion = authenticator.getAssertion(options, input.origin ?? ORIGIN)
    const response = input.tamper ? input.tamper(assertion) : assertion
    return { ...(await authenticate(challengeId, response, ip)), challengeId, options }
  }

  const auditEntries = (action: string, by: { subject?: string; actorUserId?: string }) =>
    services.db
      .select()
      .from(auditLog)
      .where(
        and(
          eq(auditLog.action, action),
          by.subject === undefined ? undefined : eq(auditLog.subject, by.subject),
          by.actorUserId === undefined ? undefined : eq(auditLog.actorUserId, by.actorUserId),
        ),
      )

  return {
    services,
    app,
    call,
    createUser,
    registerPasskey,
    authenticationOptions,
    authenticate,
    signInWithPasskey,
    auditEntries,
    close: () => services.close(),
  }
}
