import type { organizations, people, units } from '../../db/schema/index.ts'

/** Who performs a change: the signed-in user, or null for system jobs (imports from a script, seeds). */
export interface Actor {
  userId: string | null
}

/** A PH as stored. */
export type Organization = typeof organizations.$inferSelect

/** A unit as stored; `coefficient` is the exact decimal text with 9 places, e.g. '0.833333333'. */
export type Unit = typeof units.$inferSelect

/** An owner or proxy holder known to one PH. */
export type Person = typeof people.$inferSelect

export type Language = 'es' | 'en'
