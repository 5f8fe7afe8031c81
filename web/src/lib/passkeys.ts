import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  startAuthentication,
  startRegistration,
} from '@simplewebauthn/browser'
import { post } from './api.ts'

export { browserSupportsWebAuthnAutofill }

/**
 * Whether passkeys can work at this address: WebAuthn needs a domain name (never an IP address such
 * as 192.168.1.10) and a secure context (https, or http://localhost), and a browser that has it.
 */
export type PasskeyAvailability = 'available' | 'ip-address' | 'insecure' | 'unsupported'

export function passkeyAvailability(): PasskeyAvailability {
  const host = location.hostname
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':') || host.startsWith('[')) return 'ip-address'
  if (!window.isSecureContext) return 'insecure'
  return browserSupportsWebAuthn() ? 'available' : 'unsupported'
}

export const passkeysAvailable = () => passkeyAvailability() === 'available'

/** Signs in with a discoverable passkey; with `autofill`, waits for the user to pick one in the email field. */
export async function signInWithPasskey(autofill: boolean): Promise<void> {
  const { challengeId, options } = await post<{
    challengeId: string
    options: PublicKeyCredentialRequestOptionsJSON
  }>('/auth/passkeys/authentication-options', undefined, { allowAnonymous: true })
  const response = await startAuthentication({ optionsJSON: options, useBrowserAutofill: autofill })
  await post('/auth/passkeys/authenticate', { challengeId, response }, { allowAnonymous: true })
}

/** A name that helps the user recognise the device in a list of passkeys. */
function deviceName(): string {
  const agent = navigator.userAgent
  const system = /Android/.test(agent)
    ? 'Android'
    : /iPhone|iPad/.test(agent)
      ? 'iPhone/iPad'
      : /Mac/.test(agent)
        ? 'Mac'
        : /Windows/.test(agent)
          ? 'Windows'
          : /Linux/.test(agent)
            ? 'Linux'
            : 'Device'
  return `${system} · ${new Date().toISOString().slice(0, 10)}`
}

/** Adds a passkey on this device to the signed-in account. */
export async function registerPasskey(): Promise<void> {
  const optionsJSON = await post<PublicKeyCredentialCreationOptionsJSON>(
    '/auth/passkeys/registration-options',
  )
  const response = await startRegistration({ optionsJSON })
  await post('/auth/passkeys/register', { ...response, name: deviceName() })
}
