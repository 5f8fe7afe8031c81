/*
 * How many options one ballot may choose. Imports nothing, so the web ballot and the desk use the same
 * rule as the server (core/motions/ballot-schema.ts re-exports it for HTTP, WebSocket, desk and bots).
 */

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
