import { t } from 'elysia'
import { PASSKEY_NAME_MAX, type PasskeyDeps, type PasskeySummary } from '../../../core/auth/passkeys.ts'
import type { Services } from '../../../core/services.ts'

/** The passkey services' dependencies, with the relying party from config (never hard-coded). */
export function passkeyDeps(s: Services): PasskeyDeps {
  const { rpId, rpName, origins } = s.config.auth
  return { db: s.db, bus: s.bus, rp: { id: rpId, name: rpName, origins } }
}

export const passkeyTags = ['auth', 'passkeys']

// Bounds generous enough for any real authenticator, small enough to refuse junk early:
// credential ids are at most 1023 bytes (WebAuthn §5.8.3), 1364 characters in base64url.
const Base64Url = (maxLength: number) =>
  t.String({ pattern: '^[A-Za-z0-9_-]+={0,2}$', minLength: 1, maxLength })
const CredentialId = t.String({ pattern: '^[A-Za-z0-9_-]+$', minLength: 1, maxLength: 1364 })
const Transports = t.Array(t.String({ maxLength: 32 }), { maxItems: 8 })
const Attachment = t.Union([t.Literal('platform'), t.Literal('cross-platform')])
const ExtensionResults = t.Record(t.String(), t.Unknown())

/** `PublicKeyCredential.toJSON()` of `navigator.credentials.create()` (RegistrationResponseJSON). */
export const RegistrationResponseFields = {
  id: CredentialId,
  rawId: CredentialId,
  type: t.Literal('public-key'),
  response: t.Object({
    clientDataJSON: Base64Url(8192),
    attestationObject: Base64Url(65_536),
    authenticatorData: t.Optional(Base64Url(65_536)),
    transports: t.Optional(Transports),
    publicKeyAlgorithm: t.Optional(t.Integer()),
    publicKey: t.Optional(Base64Url(8192)),
  }),
  authenticatorAttachment: t.Optional(Attachment),
  clientExtensionResults: ExtensionResults,
}

/** `PublicKeyCredential.toJSON()` of `navigator.credentials.get()` (AuthenticationResponseJSON). */
export const AuthenticationResponse = t.Object({
  id: CredentialId,
  rawId: CredentialId,
  type: t.Literal('public-key'),
  response: t.Object({
    clientDataJSON: Base64Url(8192),
    authenticatorData: Base64Url(65_536),
    signature: Base64Url(2048),
    userHandle: t.Optional(t.String({ pattern: '^[A-Za-z0-9_-]*={0,2}$', maxLength: 128 })),
  }),
  authenticatorAttachment: t.Optional(Attachment),
  clientExtensionResults: ExtensionResults,
})

export const PasskeyName = t.String({ minLength: 1, maxLength: PASSKEY_NAME_MAX })

const Descriptor = t.Object({ id: t.String(), type: t.String(), transports: t.Optional(t.Array(t.String())) })
const Extensions = t.Object({ credProps: t.Optional(t.Boolean()) }, { additionalProperties: true })

/** PublicKeyCredentialCreationOptionsJSON, for `PublicKeyCredential.parseCreationOptionsFromJSON`. */
export const CreationOptions = t.Object({
  challenge: t.String(),
  rp: t.Object({ name: t.String(), id: t.Optional(t.String()) }),
  user: t.Object({ id: t.String(), name: t.String(), displayName: t.String() }),
  pubKeyCredParams: t.Array(t.Object({ alg: t.Integer(), type: t.String() })),
  timeout: t.Optional(t.Integer()),
  excludeCredentials: t.Optional(t.Array(Descriptor)),
  authenticatorSelection: t.Optional(
    t.Object({
      authenticatorAttachment: t.Optional(t.String()),
      requireResidentKey: t.Optional(t.Boolean()),
      residentKey: t.Optional(t.String()),
      userVerification: t.Optional(t.String()),
    }),
  ),
  hints: t.Optional(t.Array(t.String())),
  attestation: t.Optional(t.String()),
  extensions: t.Optional(Extensions),
})

/** PublicKeyCredentialRequestOptionsJSON, for `PublicKeyCredential.parseRequestOptionsFromJSON`. */
export const RequestOptions = t.Object({
  challenge: t.String(),
  rpId: t.Optional(t.String()),
  timeout: t.Optional(t.Integer()),
  allowCredentials: t.Optional(t.Array(Descriptor)),
  userVerification: t.Optional(t.String()),
  hints: t.Optional(t.Array(t.String())),
  extensions: t.Optional(Extensions),
})

export const PasskeyJson = t.Object({
  id: t.String(),
  name: t.Nullable(t.String()),
  deviceType: t.String(),
  backedUp: t.Boolean(),
  createdAt: t.String(),
  lastUsedAt: t.Nullable(t.String()),
})

export function passkeyJson(passkey: PasskeySummary) {
  return {
    ...passkey,
    createdAt: passkey.createdAt.toISOString(),
    lastUsedAt: passkey.lastUsedAt?.toISOString() ?? null,
  }
}
