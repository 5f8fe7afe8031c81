import type { ActaState } from '../../../../../../core/acta/lifecycle.ts'
import { ActaStateSchema, SignOffRoleSchema } from '../../../../../../core/acta/schemas.ts'

export const actaTags = ['acta']

export const SignOffRole = SignOffRoleSchema
export { ActaStateSchema }

export function actaStateView(state: ActaState | null) {
  if (!state)
    return { status: null, hash: null, reviewedAt: null, reviewedByUserId: null, signOffs: [], chain: null }
  return {
    status: state.status,
    hash: state.hash,
    reviewedAt: state.reviewedAt?.toISOString() ?? null,
    reviewedByUserId: state.reviewedByUserId,
    signOffs: state.signOffs.map((s) => ({ ...s, signedAt: s.signedAt.toISOString() })),
    chain: state.chain ? { ...state.chain, sealedAt: state.chain.sealedAt.toISOString() } : null,
  }
}
