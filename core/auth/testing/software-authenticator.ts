import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto'
import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from '@oslojs/encoding'
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from '@simplewebauthn/server'

/**
 * A software WebAuthn authenticator for tests: it answers `navigator.credentials.create()` and
 * `.get()` options the way a browser plus a platform authenticator would, with real ES256 keys,
 * so the server verifies genuine payloads instead of mocks.
 */

const ES256 = -7
const FLAG_UP = 0x01
const FLAG_UV = 0x04
const FLAG_BE = 0x08
const FLAG_BS = 0x10
const FLAG_AT = 0x40

const encoder = new TextEncoder()

export type CborValue = number | string | Uint8Array | CborValue[] | Map<CborValue, CborValue>

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

function cborHead(major: number, value: number): Uint8Array {
  const type = major << 5
  if (value < 24) return Uint8Array.of(type | value)
  if (value < 0x100) return Uint8Array.of(type | 24, value)
  if (value < 0x10000) return Uint8Array.of(type | 25, value >> 8, value & 0xff)
  const out = new Uint8Array(5)
  out[0] = type | 26
  new DataView(out.buffer).setUint32(1, value)
  return out
}

/**
 * The subset of CBOR (RFC 8949) that attestation objects and COSE keys need. Maps keep insertion
 * order, so callers insert keys in CTAP2 canonical order themselves.
 */
export function encodeCbor(value: CborValue): Uint8Array {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || Math.abs(value) > 0xffffffff)
      throw new Error(`CBOR: unsupported ${value}`)
    return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value)
  }
  if (typeof value === 'string') {
    const bytes = encoder.encode(value)
    return concat(cborHead(3, bytes.length), bytes)
  }
  if (value instanceof Uint8Array) return concat(cborHead(2, value.length), value)
  if (Array.isArray(value)) return concat(cborHead(4, value.length), ...value.map(encodeCbor))
  const parts = [cborHead(5, value.size)]
  for (const [key, item] of value) parts.push(encodeCbor(key), encodeCbor(item))
  return concat(...parts)
}

const sha256 = (data: Uint8Array | string) => new Uint8Array(createHash('sha256').update(data).digest())

function uint32(value: number): Uint8Array {
  const out = new Uint8Array(4)
  new DataView(out.buffer).setUint32(0, value)
  return out
}

/** The credential public key as a COSE EC2 key: kty 2, alg -7, crv P-256 (1), x, y. */
function coseKey(publicKey: KeyObject): Uint8Array {
  const jwk = publicKey.export({ format: 'jwk' })
  return encodeCbor(
    new Map<CborValue, CborValue>([
      [1, 2],
      [3, ES256],
      [-1, 1],
      [-2, decodeBase64urlIgnorePadding(jwk.x!)],
      [-3, decodeBase64urlIgnorePadding(jwk.y!)],
    ]),
  )
}

export interface SoftwareAuthenticatorOptions {
  /** Whether the user is verified (PIN, biometrics): sets the UV flag. Default true. */
  userVerification?: boolean
  /** Backup eligible (a synced passkey): sets BE. Default false. */
  backupEligible?: boolean
  /** Currently backed up: sets BS (needs backupEligible). Default false. */
  backedUp?: boolean
  /** Synced passkeys usually always report 0; false mimics them. Default true (counts signatures). */
  countSignatures?: boolean
}

export interface SoftwareCredential {
  /** Credential id, base64url. */
  id: string
  rpId: string
  /** The user handle from the creation options (base64url), returned with every assertion. */
  userHandle: string
  /** Writable so a test can sign with a key the server does not know. */
  privateKey: KeyObject
  signCount: number
}

/** The DOMException names a browser would reject with. */
export class AuthenticatorError extends Error {
  constructor(
    readonly kind: 'InvalidStateError' | 'NotAllowedError' | 'NotSupportedError',
    message: string,
  ) {
    super(message)
    this.name = kind
  }
}

/** Creates an authenticator; its credentials live in `credentials`, keyed by credential id. */
export function createSoftwareAuthenticator(options: SoftwareAuthenticatorOptions = {}) {
  const {
    userVerification = true,
    backupEligible = false,
    backedUp = false,
    countSignatures = true,
  } = options
  const credentials = new Map<string, SoftwareCredential>()

  const flags = (extra: number) =>
    FLAG_UP |
    extra |
    (userVerification ? FLAG_UV : 0) |
    (backupEligible ? FLAG_BE : 0) |
    (backedUp ? FLAG_BS : 0)

  const clientData = (type: 'webauthn.create' | 'webauthn.get', challenge: string, origin: string) =>
    encoder.encode(JSON.stringify({ type, challenge, origin, crossOrigin: false }))

  return {
    credentials,

    /**
     * Answers creation options like `navigator.credentials.create()` with attestation 'none'.
     * `credentialId` forces the new credential's id (to test that the server refuses a reused id).
     */
    createCredential(
      creation: PublicKeyCredentialCreationOptionsJSON,
      origin: string,
      overrides: { credentialId?: string } = {},
    ): RegistrationResponseJSON {
      const rpId = creation.rp.id ?? new URL(origin).hostname
      if (!creation.pubKeyCredParams.some((param) => param.alg === ES256)) {
        throw new AuthenticatorError('NotSupportedError', 'ES256 is not among pubKeyCredParams')
      }
      const excluded = (creation.excludeCredentials ?? []).some((descriptor) => {
        return credentials.get(descriptor.id)?.rpId === rpId
      })
      if (excluded)
        throw new AuthenticatorError('InvalidStateError', 'This authenticator is already registered')

      const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
      const rawId = overrides.credentialId
        ? decodeBase64urlIgnorePadding(overrides.credentialId)
        : new Uint8Array(randomBytes(32))
      const id = encodeBase64urlNoPadding(rawId)
      const credentialIdLength = Uint8Array.of(rawId.length >> 8, rawId.length & 0xff)
      const authData = concat(
        sha256(rpId),
        Uint8Array.of(flags(FLAG_AT)),
        uint32(0),
        new Uint8Array(16), // AAGUID: all zero, as for attestation 'none'
        credentialIdLength,
        rawId,
        coseKey(publicKey),
      )
      const attestationObject = encodeCbor(
        new Map<CborValue, CborValue>([
          ['fmt', 'none'],
          ['attStmt', new Map()],
          ['authData', authData],
        ]),
      )
      credentials.set(id, { id, rpId, userHandle: creation.user.id, privateKey, signCount: 0 })
      const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }))
      return {
        id,
        rawId: id,
        type: 'public-key',
        response: {
          clientDataJSON: encodeBase64urlNoPadding(clientData('webauthn.create', creation.challenge, origin)),
          attestationObject: encodeBase64urlNoPadding(attestationObject),
          authenticatorData: encodeBase64urlNoPadding(authData),
          transports: ['internal', 'hybrid'],
          publicKeyAlgorithm: ES256,
          publicKey: encodeBase64urlNoPadding(spki),
        },
        authenticatorAttachment: 'platform',
        clientExtensionResults: { credProps: { rk: true } },
      }
    },

    /**
     * Answers request options like `navigator.credentials.get()`: with an empty allow list it picks
     * a discoverable credential for the RP (the first, or `credentialId`), increments its counter
     * and signs authData || SHA-256(clientDataJSON) with ECDSA P-256 (DER signature).
     */
    getAssertion(
      request: PublicKeyCredentialRequestOptionsJSON,
      origin: string,
      select: { credentialId?: string } = {},
    ): AuthenticationResponseJSON {
      const rpId = request.rpId ?? new URL(origin).hostname
      const allowed = new Set((request.allowCredentials ?? []).map((descriptor) => descriptor.id))
      const credential = [...credentials.values()].find(
        (candidate) =>
          candidate.rpId === rpId &&
          (allowed.size === 0 || allowed.has(candidate.id)) &&
          (select.credentialId === undefined || candidate.id === select.credentialId),
      )
      if (!credential) throw new AuthenticatorError('NotAllowedError', `No credential for ${rpId}`)

      if (countSignatures) credential.signCount += 1
      const authData = concat(sha256(rpId), Uint8Array.of(flags(0)), uint32(credential.signCount))
      const clientDataJSON = clientData('webauthn.get', request.challenge, origin)
      const signature = sign('sha256', concat(authData, sha256(clientDataJSON)), credential.privateKey)
      return {
        id: credential.id,
        rawId: credential.id,
        type: 'public-key',
        response: {
          clientDataJSON: encodeBase64urlNoPadding(clientDataJSON),
          authenticatorData: encodeBase64urlNoPadding(authData),
          signature: encodeBase64urlNoPadding(new Uint8Array(signature)),
          userHandle: credential.userHandle,
        },
        authenticatorAttachment: 'platform',
        clientExtensionResults: {},
      }
    },

    /** Sets the counter the authenticator holds; the next assertion reports `value + 1` (e.g. a clone). */
    setSignCount(credentialId: string, value: number): void {
      const credential = credentials.get(credentialId)
      if (!credential) throw new Error(`Unknown credential ${credentialId}`)
      credential.signCount = value
    },
  }
}

export type SoftwareAuthenticator = ReturnType<typeof createSoftwareAuthenticator>
