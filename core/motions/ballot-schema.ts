import { type Static, Type } from '@sinclair/typebox'

/** Most ballots one request may carry (a proxy holder's units are capped far below this). */
export const MAX_BALLOTS_PER_REQUEST = 500

/** The most options a motion has, hence the most keys one ballot may name (multiple choice). */
export const MAX_MOTION_OPTIONS = 50

/** An option's key as motions define it: lowercase letters, digits, `_` and `-`, at most 32. */
export const OPTION_KEY_PATTERN = '^[a-z0-9][a-z0-9_-]{0,31}$'

/**
 * The ballots of one vote request, one per unit: the same shape and limits whatever the channel
 * (HTTP route, realtime WebSocket, desk), so no channel refuses what another accepts.
 */
export const BallotsSchema = Type.Array(
  Type.Object(
    {
      unitId: Type.String({ format: 'uuid' }),
      optionKeys: Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { maxItems: MAX_MOTION_OPTIONS }),
    },
    { additionalProperties: false },
  ),
  { minItems: 1, maxItems: MAX_BALLOTS_PER_REQUEST },
)

export type BallotsInput = Static<typeof BallotsSchema>

export { type ChoiceLimits, choiceLimitProblem, maxChoicesOf } from './choice-limits.ts'
