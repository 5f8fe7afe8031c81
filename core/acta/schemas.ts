import { type Static, Type } from '@sinclair/typebox'
import { Nullable } from '../schemas.ts'

/*
 * The answer of the acta routes, owned once here (TypeBox, without Elysia): the routes validate and
 * document with it, the admin console reads its static type.
 */

export const SignOffRoleSchema = Type.Union([Type.Literal('president'), Type.Literal('secretary')])
export type SignOffRole = Static<typeof SignOffRoleSchema>

/** The acta's life: status, who signed when, the record's hash and, once final, its seal in the chain. */
export const ActaStateSchema = Type.Object({
  status: Nullable(Type.Union([Type.Literal('draft'), Type.Literal('reviewed'), Type.Literal('final')]), {
    description: 'null before the close (nothing frozen yet)',
  }),
  hash: Nullable(Type.String({ description: 'SHA-256 of the canonical JSON of the frozen record' })),
  reviewedAt: Nullable(Type.String({ format: 'date-time' })),
  reviewedByUserId: Nullable(Type.String()),
  signOffs: Type.Array(
    Type.Object({
      role: SignOffRoleSchema,
      signerName: Type.String(),
      signedAt: Type.String({ format: 'date-time' }),
      hash: Type.String(),
      userId: Nullable(Type.String()),
    }),
  ),
  chain: Nullable(
    Type.Object({
      sequence: Type.Integer(),
      previousHash: Nullable(Type.String()),
      hash: Type.String(),
      sealedAt: Type.String({ format: 'date-time' }),
    }),
  ),
})
export type ActaStateView = Static<typeof ActaStateSchema>
