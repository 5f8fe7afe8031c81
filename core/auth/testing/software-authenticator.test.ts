import { describe, expect, it } from 'bun:test'
import { encodeHexLowerCase } from '@oslojs/encoding'
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server'
import { decodeAttestationObject, isoBase64URL, parseAuthenticatorData } from '@simplewebauthn/server/helpers'
import { type CborValue, createSoftwareAuthenticator, encodeCbor } from './software-authenticator.ts'

const RP_ID = 'assembly.example.test'
const ORIGIN = 'https://assembly.example.test'

const registrationOptions = () =>
  generateRegistrationOptions({
    rpName: 'Assembly 2.0',
    rpID: RP_ID,
    userName: 'ana@example.test',
    userID: new Uint8Array(16).fill(7),
    supportedAlgorithmIDs: [-7, -257, -8],
  })

/** Registers a credential and returns what the server would store. */
async function register(authenticator = createSoftwareAuthenticator()) {
  const options = await registrationOptions()
  const response = authenticator.createCredential(options, ORIGIN)
  const verified = await verifyRegistrationResponse({
    response,
    expectedChallenge: options.challenge,
    expectedOrigin: ORIGIN,
    expectedRPID: RP_ID,
  })
  if (!verified.verified) throw new Error('registration not verified')
  return { authenticator, options, response, credential: verified.registrationInfo.credential, verified }
}

function authDataOf(response: { response: { attestationObject: string } }) {
  const attestation = decodeAttestationObject(isoBase64URL.toBuffer(response.response.attestationObject))
  return { attestation, authData: parseAuthenticatorData(attestation.get('authData')) }
}

describe('encodeCbor', () => {
  // Vectors from RFC 8949, appendix A.
  it.each<[string, CborValue, string]>([
    ['0', 0, '00'],
    ['23', 23, '17'],
    ['24', 24, '1818'],
    ['100', 100, '1864'],
    ['1000', 1000, '1903e8'],
    ['1000000', 1_000_000, '1a000f4240'],
    ['-1', -1, '20'],
    ['-10', -10, '29'],
    ['-100', -100, '3863'],
    ['-1000', -1000, '3903e7'],
    ['"a"', 'a', '6161'],
    ['"IETF"', 'IETF', '6449455446'],
    ["h'01020304'", Uint8Array.of(1, 2, 3, 4), '4401020304'],
    ['[1, 2, 3]', [1, 2, 3], '83010203'],
    [
      '{1: 2, 3: 4}',
      new Map([
        [1, 2],
        [3, 4],
      ]),
      'a201020304',
    ],
    ['{}', new Map(), 'a0'],
  ])('encodes %s', (_name, value, hex) => {
    expect(encodeHexLowerCase(encodeCbor(value))).toBe(hex)
  })

  it('refuses non-integers', () => {
    expect(() => encodeCbor(1.5)).toThrow('unsupported')
  })
})

describe('createCredential', () => {
  it('produces a none attestation that @simplewebauthn/server verifies', async () => {
    const { verified, response } = await register()
    expect(verified.registrationInfo?.fmt).toBe('none')
    expect(verified.registrationInfo?.credential.id).toBe(response.id)
    expect(authDataOf(response).attestation.get('attStmt').size).toBe(0)
  })

  it('sets UP, UV and AT, hashes the RP ID and starts the counter at 0', async () => {
    const { response } = await register()
    const { authData } = authDataOf(response)
    expect(authData.flags).toMatchObject({ up: true, uv: true, at: true, be: false, bs: false })
    expect(encodeHexLowerCase(authData.rpIdHash)).toBe(
      encodeHexLowerCase(
        new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(RP_ID))),
      ),
    )
    expect(authData.counter).toBe(0)
  })

  it('sets BE and BS for a synced passkey, and omits UV when not verifying', async () => {
    const authenticator = createSoftwareAuthenticator({
      backupEligible: true,
      backedUp: true,
      userVerification: false,
    })
    const response = authenticator.createCredential(await registrationOptions(), ORIGIN)
    expect(authDataOf(response).authData.flags).toMatchObject({ be: true, bs: true, uv: false })
  })

  it('writes a webauthn.create client data with the challenge and origin', async () => {
    const options = await registrationOptions()
    const response = createSoftwareAuthenticator().createCredential(options, ORIGIN)
    const clientData = JSON.parse(
      new TextDecoder().decode(isoBase64URL.toBuffer(response.response.clientDataJSON)),
    )
    expect(clientData).toEqual({
      type: 'webauthn.create',
      challenge: options.challenge,
      origin: ORIGIN,
      crossOrigin: false,
    })
  })

  it('refuses a credential listed in excludeCredentials', async () => {
    const { authenticator, response } = await register()
    const options = {
      ...(await registrationOptions()),
      excludeCredentials: [{ id: response.id, type: 'public-key' as const }],
    }
    expect(() => authenticator.createCredential(options, ORIGIN)).toThrow('already registered')
  })

  it('refuses options without ES256', async () => {
    const options = {
      ...(await registrationOptions()),
      pubKeyCredParams: [{ alg: -257, type: 'public-key' as const }],
    }
    expect(() => createSoftwareAuthenticator().createCredential(options, ORIGIN)).toThrow('ES256')
  })

  it('uses a forced credential id', async () => {
    const response = createSoftwareAuthenticator().createCredential(await registrationOptions(), ORIGIN, {
      credentialId: 'AAECAwQFBgcICQ',
    })
    expect(response.id).toBe('AAECAwQFBgcICQ')
    expect(encodeHexLowerCase(authDataOf(response).authData.credentialID!)).toBe('00010203040506070809')
  })
})

describe('getAssertion', () => {
  const authenticate = async (
    registered: Awaited<ReturnType<typeof register>>,
    counter = registered.credential.counter,
  ) => {
    const options = await generateAuthenticationOptions({ rpID: RP_ID, allowCredentials: [] })
    const response = registered.authenticator.getAssertion(options, ORIGIN)
    const result = await verifyAuthenticationResponse({
      response,
      expectedChallenge: options.challenge,
      expectedOrigin: ORIGIN,
      expectedRPID: RP_ID,
      credential: { ...registered.credential, counter },
    })
    return { response, result }
  }

  it('signs an assertion that @simplewebauthn/server verifies, counting up', async () => {
    const registered = await register()
    const first = await authenticate(registered)
    expect(first.result.verified).toBe(true)
    expect(first.result.authenticationInfo.newCounter).toBe(1)
    const second = await authenticate(registered, 1)
    expect(second.result.authenticationInfo.newCounter).toBe(2)
  })

  it('returns the user handle from the creation options', async () => {
    const registered = await register()
    const { response } = await authenticate(registered)
    expect(response.response.userHandle).toBe(registered.options.user.id)
  })

  it('reports 0 forever when it does not count signatures', async () => {
    const registered = await register(createSoftwareAuthenticator({ countSignatures: false }))
    await authenticate(registered)
    const { result } = await authenticate(registered)
    expect(result.authenticationInfo.newCounter).toBe(0)
  })

  it('reports value + 1 after setSignCount', async () => {
    const registered = await register()
    registered.authenticator.setSignCount(registered.response.id, 41)
    const { result } = await authenticate(registered)
    expect(result.authenticationInfo.newCounter).toBe(42)
  })

  it('fails verification when the key was swapped', async () => {
    const registered = await register()
    const stranger = await register()
    registered.authenticator.credentials.get(registered.response.id)!.privateKey =
      stranger.authenticator.credentials.get(stranger.response.id)!.privateKey
    const { result } = await authenticate(registered)
    expect(result.verified).toBe(false)
  })

  it('has nothing to offer another RP', async () => {
    const { authenticator } = await register()
    const options = await generateAuthenticationOptions({ rpID: 'elsewhere.example.test' })
    expect(() => authenticator.getAssertion(options, 'https://elsewhere.example.test')).toThrow(
      'No credential',
    )
  })
})
