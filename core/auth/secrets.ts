import { deriveKey } from './crypto.ts'

/**
 * Encryption at rest for third-party secrets kept in the database (e.g. a PH's WhatsApp token):
 * AES-256-GCM with a key derived from SECRET_KEY and a random 96-bit nonce per value.
 * Stored form: `v1.<nonce b64url>.<ciphertext+tag b64url>`.
 */
export interface SecretBox {
  encrypt(plaintext: string, context?: string): Promise<string>
  /** Throws when the value was tampered with, or encrypted under another key or context. */
  decrypt(stored: string, context?: string): Promise<string>
}

const b64 = (bytes: ArrayBuffer | Uint8Array) => Buffer.from(bytes as Uint8Array).toString('base64url')

export function createSecretBox(secretKey: Uint8Array): SecretBox {
  const keyPromise = crypto.subtle.importKey(
    'raw',
    deriveKey(secretKey, 'secret-box') as Uint8Array<ArrayBuffer>,
    'AES-GCM',
    false,
    ['encrypt', 'decrypt'],
  )
  const additionalData = (context: string) => new TextEncoder().encode(context)
  return {
    encrypt: async (plaintext, context = '') => {
      const iv = crypto.getRandomValues(new Uint8Array(12))
      const sealed = await crypto.subtle.encrypt(
        { name: 'AES-GCM', iv, additionalData: additionalData(context) },
        await keyPromise,
        new TextEncoder().encode(plaintext),
      )
      return `v1.${b64(iv)}.${b64(sealed)}`
    },
    decrypt: async (stored, context = '') => {
      const [version, iv, sealed] = stored.split('.')
      if (version !== 'v1' || !iv || !sealed) throw new Error('not an encrypted secret')
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: Buffer.from(iv, 'base64url'), additionalData: additionalData(context) },
        await keyPromise,
        Buffer.from(sealed, 'base64url'),
      )
      return new TextDecoder().decode(plain)
    },
  }
}
