import type { motions, voteChannel } from '../../db/schema/index.ts'

/** Who performs an action: the signed-in user and, when known, the person (owner / proxy holder) they are. */
export interface Actor {
  userId: string | null
  personId?: string | null
}

/** A motion as stored. */
export type Motion = typeof motions.$inferSelect

/** Where a vote came from. */
export type VoteChannel = (typeof voteChannel.enumValues)[number]
