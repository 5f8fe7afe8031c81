import { eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { memberships, organizations, people } from '../../db/schema/index.ts'
import { withPlatformScope } from '../../db/tenant.ts'
import type { UserOrganization } from './schemas.ts'

export type { UserOrganization }

/** The PHs a user belongs to, by granted role or as a linked person (owner / proxy holder). */
export async function organizationsOfUser(db: Database, userId: string): Promise<UserOrganization[]> {
  const granted = await db
    .select({ organizationId: memberships.organizationId, role: memberships.role })
    .from(memberships)
    .where(eq(memberships.userId, userId))
  // The user's own person records across PHs: platform-scoped read, filtered to this user.
  const linked = await withPlatformScope(db, (tx) =>
    tx
      .selectDistinct({ organizationId: people.organizationId })
      .from(people)
      .where(eq(people.userId, userId)),
  )
  const ids = [...new Set([...granted, ...linked].map((row) => row.organizationId))]
  if (ids.length === 0) return []
  const found = await db
    .select({ id: organizations.id, name: organizations.name, slug: organizations.slug })
    .from(organizations)
    .where(inArray(organizations.id, ids))
  return found.map((organization) => ({
    ...organization,
    roles: granted.filter((row) => row.organizationId === organization.id).map((row) => row.role),
    linkedAsPerson: linked.some((row) => row.organizationId === organization.id),
  }))
}
