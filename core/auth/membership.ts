import { and, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { memberships, ownerships, people, proxies } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'

/** 'auditor' reads the exact figures of secret motions (everyone else sees them rounded). */
export type PhRole = 'ph_admin' | 'checkin_staff' | 'auditor' | 'owner' | 'proxy_holder'

export interface Membership {
  organizationId: string
  roles: PhRole[]
  /** The user's person records in this PH (owner or proxy holder identities). */
  personIds: string[]
}

/** Roles of a user in one PH: granted memberships plus those derived from ownership and proxies. */
export async function resolveMembership(
  db: Database,
  userId: string,
  organizationId: string,
): Promise<Membership> {
  return withTenant(db, organizationId, async (tx) => {
    const granted = await tx
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.userId, userId), eq(memberships.organizationId, organizationId)))
    const persons = await tx
      .select({ id: people.id })
      .from(people)
      .where(and(eq(people.userId, userId), eq(people.organizationId, organizationId)))
    const roles = new Set<PhRole>(granted.map((row) => row.role as PhRole).filter((role) => role !== 'owner'))
    for (const person of persons) {
      const [owns] = await tx
        .select({ id: ownerships.id })
        .from(ownerships)
        .where(and(eq(ownerships.personId, person.id), eq(ownerships.organizationId, organizationId)))
        .limit(1)
      if (owns) roles.add('owner')
      const [holds] = await tx
        .select({ id: proxies.id })
        .from(proxies)
        .where(
          and(
            eq(proxies.holderPersonId, person.id),
            eq(proxies.organizationId, organizationId),
            eq(proxies.status, 'active'),
          ),
        )
        .limit(1)
      if (holds) roles.add('proxy_holder')
    }
    return { organizationId, roles: [...roles], personIds: persons.map((person) => person.id) }
  })
}
