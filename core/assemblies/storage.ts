import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'

/**
 * Where uploaded documents (signed proxies) live. Keys are relative paths like `<org>/<uuid>`, so an
 * S3-compatible implementation can use them as object keys unchanged.
 */
export interface DocumentStorage {
  put(key: string, bytes: Uint8Array, contentType?: string): Promise<void>
  /** The bytes, or null when there is no such document. */
  get(key: string): Promise<Uint8Array | null>
  /** Removes the document; removing a missing one is not an error. */
  delete(key: string): Promise<void>
}

const KEY = /^[0-9a-f-]{36}\/[0-9a-f-]{36}$/i

/** A fresh key for a document of the organization: `<organizationId>/<uuid>`. */
export function newDocumentKey(organizationId: string): string {
  return `${organizationId}/${crypto.randomUUID()}`
}

/**
 * Documents as files under `rootDir` (e.g. `${dataDir}/documents`): key `<org>/<uuid>` is stored at
 * `${rootDir}/<org>/<uuid>`. Keys of any other shape are refused, so a key can never leave the root.
 */
export function createLocalDocumentStorage(rootDir: string): DocumentStorage {
  const root = resolve(rootDir)
  const pathOf = (key: string) => {
    if (!KEY.test(key)) throw new Error(`Invalid document key: ${key}`)
    const path = resolve(join(root, key))
    if (!path.startsWith(root + sep)) throw new Error(`Invalid document key: ${key}`)
    return path
  }
  return {
    async put(key, bytes) {
      const path = pathOf(key)
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, bytes, { flag: 'wx' })
    },
    async get(key) {
      try {
        return new Uint8Array(await readFile(pathOf(key)))
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw error
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true })
    },
  }
}
