import type { Database } from '../../db/client.ts'
import { getActaState, reviewActa, signOffActa } from './lifecycle.ts'

/**
 * Takes a closed assembly's acta through the real lifecycle to final: reviewed, then signed by the
 * president and the secretary over its current hash (what the acta card does in the browser).
 */
export async function makeActaFinal(
  db: Database,
  scope: { organizationId: string; assemblyId: string },
  actor: { userId: string | null } = { userId: null },
): Promise<void> {
  const state = await getActaState(db, scope)
  if (!state) throw new Error('the assembly has no frozen acta (is it closed?)')
  await reviewActa(db, { ...scope, actor })
  for (const [role, signerName] of [
    ['president', 'Presidenta de prueba'],
    ['secretary', 'Secretario de prueba'],
  ] as const) {
    await signOffActa(db, { ...scope, role, signerName, hash: state.hash, actor })
  }
}
