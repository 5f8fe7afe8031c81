import { eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { motions } from '../../db/schema/index.ts'
import { withPlatformScope } from '../../db/tenant.ts'

/**
 * The PH a motion belongs to, looked up across PHs (for public routes such as the receipt list, which
 * have no tenant to scope to); null when there is no such motion.
 */
export async function organizationOfMotion(db: Database, motionId: string): Promise<string | null> {
  const [motion] = await withPlatformScope(db, (tx) =>
    tx.select({ organizationId: motions.organizationId }).from(motions).where(eq(motions.id, motionId)),
  )
  return motion?.organizationId ?? null
}
