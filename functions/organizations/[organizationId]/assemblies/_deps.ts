import { join } from 'node:path'
import { createLocalDocumentStorage, type DocumentStorage } from '../../../../core/assemblies/index.ts'
import type { AssemblyDeps } from '../../../../core/assemblies/types.ts'
import { deriveKey } from '../../../../core/auth/crypto.ts'
import type { Services } from '../../../../core/services.ts'

/** The side channels of the assembly services: the process's change port, and the log. */
export function assemblyDeps(s: Services): AssemblyDeps {
  return { changes: s.changes, log: s.log }
}

/** The key that signs check-in codes (QR): derived, so the master secret signs nothing itself. */
export function checkInKey(s: Services): Uint8Array {
  return deriveKey(s.secretKey, 'check-in')
}

/** Signed proxy documents, on disk under DATA_DIR/documents. */
export function documentStorage(s: Services): DocumentStorage {
  return createLocalDocumentStorage(join(s.config.dataDir, 'documents'))
}
