import { and, asc, desc, eq, inArray, isNotNull } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { assemblies, memberships, motions, organizations, people, users } from '../../db/schema/index.ts'
import { withPlatformScope, withTenant } from '../../db/tenant.ts'
import type { Assembly } from '../assemblies/types.ts'
import type { Motion } from '../motions/types.ts'

/** A PH the user belongs to (as owner, proxy holder or staff), with what replies need to show it. */
export interface UserOrganization {
  organizationId: string
  name: string
  timeZone: string
}

/**
 * The PHs of a user: those where one of their person records is (people.user_id) and those where
 * they hold a role. Crossing PHs is platform-level work, like linking a user to their records.
 */
export async function listUserOrganizations(db: Database, userId: string): Promise<UserOrganization[]> {
  return withPlatformScope(db, async (tx) => {
    const personOrgs = await tx
      .selectDistinct({ id: people.organizationId })
      .from(people)
      .where(eq(people.userId, userId))
    const roleOrgs = await tx
      .selectDistinct({ id: memberships.organizationId })
      .from(memberships)
      .where(eq(memberships.userId, userId))
    const ids = [...new Set([...personOrgs, ...roleOrgs].map((row) => row.id))]
    if (ids.length === 0) return []
    const rows = await tx
      .select({
        organizationId: organizations.id,
        name: organizations.name,
        timeZone: organizations.timeZone,
      })
      .from(organizations)
      .where(inArray(organizations.id, ids))
      .orderBy(asc(organizations.name))
    return rows
  })
}

/** The user's email, to confirm a link without showing more than they typed. */
export async function userEmail(db: Database, userId: string): Promise<string | null> {
  const [user] = await db.select({ email: users.email }).from(users).where(eq(users.id, userId))
  return user?.email ?? null
}

const RUNNING: Assembly['status'][] = ['in_progress', 'suspended']

/** Assemblies owners may see (drafts are the administration's work in progress), newest first. */
export async function visibleAssemblies(
  db: Database,
  organizationId: string,
  limit = 5,
): Promise<Assembly[]> {
  return withTenant(db, organizationId, (tx) =>
    tx
      .select()
      .from(assemblies)
      .where(
        and(
          eq(assemblies.organizationId, organizationId),
          inArray(assemblies.status, ['convened', 'in_progress', 'suspended', 'closed']),
        ),
      )
      .orderBy(desc(assemblies.firstCallAt))
      .limit(limit),
  )
}

/** The assembly a question is about: the running one, else the next one called, else none. */
export async function currentAssembly(db: Database, organizationId: string): Promise<Assembly | null> {
  const rows = await withTenant(db, organizationId, (tx) =>
    tx
      .select()
      .from(assemblies)
      .where(
        and(
          eq(assemblies.organizationId, organizationId),
          inArray(assemblies.status, ['convened', ...RUNNING]),
        ),
      )
      .orderBy(asc(assemblies.firstCallAt)),
  )
  return rows.find((row) => RUNNING.includes(row.status)) ?? rows[0] ?? null
}

/** Motions open for voting in the PH's running assemblies. */
export async function openMotions(db: Database, organizationId: string): Promise<Motion[]> {
  return withTenant(db, organizationId, (tx) =>
    tx
      .select({ motion: motions })
      .from(motions)
      .innerJoin(assemblies, eq(assemblies.id, motions.assemblyId))
      .where(
        and(
          eq(motions.organizationId, organizationId),
          eq(motions.status, 'open'),
          eq(assemblies.status, 'in_progress'),
        ),
      )
      .orderBy(asc(motions.position))
      .then((rows) => rows.map((row) => row.motion)),
  )
}

/** Motions that took votes (open or closed), most recently opened first: where a receipt may belong. */
export async function votedMotions(db: Database, organizationId: string, limit = 50): Promise<Motion[]> {
  return withTenant(db, organizationId, (tx) =>
    tx
      .select()
      .from(motions)
      .where(and(eq(motions.organizationId, organizationId), isNotNull(motions.openedAt)))
      .orderBy(desc(motions.openedAt))
      .limit(limit),
  )
}

/** The motions of an assembly in agenda order. */
export async function assemblyMotions(
  db: Database,
  organizationId: string,
  assemblyId: string,
): Promise<Motion[]> {
  return withTenant(db, organizationId, (tx) =>
    tx
      .select()
      .from(motions)
      .where(and(eq(motions.organizationId, organizationId), eq(motions.assemblyId, assemblyId)))
      .orderBy(asc(motions.position)),
  )
}
