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

/** What a motion says about how many options one ballot may choose. */
export interface ChoiceLimits {
  choiceMode: 'single' | 'multiple'
  options: readonly { kind: string }[]
  /** An election's seats: a ballot may choose up to this many candidates. null or absent: no election. */
  seats?: number | null
}

/**
 * The most options one ballot may choose: 1 in single mode; for an election its seats (or every
 * candidate when fewer stand); otherwise every option that is not an abstention. Every channel (HTTP,
 * WebSocket, desk, bots, the web ballot) reads the limit from here.
 */
export function maxChoicesOf(motion: ChoiceLimits): number {
  if (motion.choiceMode === 'single') return 1
  const choices = motion.options.filter((option) => option.kind !== 'abstain').length
  return typeof motion.seats === 'number' && motion.seats >= 1 ? Math.min(motion.seats, choices) : choices
}

/** Why a ballot chooses too many options for the motion, or null when it fits. */
export function choiceLimitProblem(motion: ChoiceLimits, optionKeys: readonly string[]): string | null {
  const max = maxChoicesOf(motion)
  if (optionKeys.length <= max) return null
  return motion.seats
    ? `Ballot chose ${optionKeys.length} candidates; this election fills ${motion.seats} seat(s), choose at most ${max}`
    : `Ballot chose ${optionKeys.length} options; at most ${max} allowed`
}
