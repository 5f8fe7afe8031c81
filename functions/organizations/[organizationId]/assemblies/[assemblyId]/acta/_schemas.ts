import { t } from 'elysia'
import type { ActaState } from '../../../../../../core/acta/lifecycle.ts'

export const actaTags = ['acta']

const Role = t.Union([t.Literal('president'), t.Literal('secretary')])

/** The acta's life: status, who signed when, the record's hash and, once final, its seal in the chain. */
export const ActaStateSchema = t.Object({
  status: t.Nullable(t.Union([t.Literal('draft'), t.Literal('reviewed'), t.Literal('final')]), {
    description: 'null before the close (nothing frozen yet)',
  }),
  hash: t.Nullable(t.String({ description: 'SHA-256 of the canonical JSON of the frozen record' })),
  reviewedAt: t.Nullable(t.String({ format: 'date-time' })),
  reviewedByUserId: t.Nullable(t.String()),
  signOffs: t.Array(
    t.Object({
      role: Role,
      signerName: t.String(),
      signedAt: t.String({ format: 'date-time' }),
      hash: t.String(),
      userId: t.Nullable(t.String()),
    }),
  ),
  chain: t.Nullable(
    t.Object({
      sequence: t.Integer(),
      previousHash: t.Nullable(t.String()),
      hash: t.String(),
      sealedAt: t.String({ format: 'date-time' }),
    }),
  ),
})

export const SignOffRole = Role

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
