import { sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { withTenant } from '../../db/tenant.ts'

/** 'auditor' reads the exact figures of secret motions (everyone else sees them rounded). */
export type PhRole = 'ph_admin' | 'checkin_staff' | 'auditor' | 'owner' | 'proxy_holder'

export interface Membership {
  organizationId: string
  roles: PhRole[]
  /** The user's person records in this PH (owner or proxy holder identities). */
  personIds: string[]
}

/**
 * Each user's granted roles, person records, and whether any of them owns a unit or holds an active
 * proxy in the PH: for one user, or (userId null) for every user with a membership or a person record
 * there. One definition for both; set-based, so a whole PH is a few hash joins, not a look-up per user.
 */
function membershipRows(tx: Database, organizationId: string, userId: string | null) {
  const only = (column: string) => (userId === null ? sql`` : sql`and ${sql.raw(column)} = ${userId}::uuid`)
  return tx
    .select({
      userId: sql<string>`u.user_id::text`,
      granted: sql<string[]>`coalesce(g.granted, '{}')`,
      personIds: sql<string[]>`coalesce(p.person_ids, '{}')`,
      owns: sql<boolean>`o.user_id is not null`,
      holds: sql<boolean>`x.user_id is not null`,
    })
    .from(
      sql`(select m.user_id from memberships m where m.organization_id = ${organizationId} ${only('m.user_id')}
          union select p.user_id from people p where p.organization_id = ${organizationId}
            and p.user_id is not null ${only('p.user_id')}) as u
        left join (select m.user_id, array_agg(m.role::text) as granted from memberships m
          where m.organization_id = ${organizationId} ${only('m.user_id')} group by m.user_id) as g
          on g.user_id = u.user_id
        left join (select p.user_id, array_agg(p.id::text order by p.id) as person_ids from people p
          where p.organization_id = ${organizationId} ${only('p.user_id')} group by p.user_id) as p
          on p.user_id = u.user_id
        left join (select distinct p.user_id from ownerships o join people p on p.id = o.person_id
          where o.organization_id = ${organizationId} and p.organization_id = ${organizationId}
            ${only('p.user_id')}) as o
          on o.user_id = u.user_id
        left join (select distinct p.user_id from proxies x join people p on p.id = x.holder_person_id
          where x.organization_id = ${organizationId} and p.organization_id = ${organizationId}
            and x.status = 'active' ${only('p.user_id')}) as x
          on x.user_id = u.user_id`,
    )
    .prepare(userId === null ? 'resolve_memberships' : 'resolve_membership')
    .execute()
}

type MembershipRow = Awaited<ReturnType<typeof membershipRows>>[number]

function membershipOf(organizationId: string, row: MembershipRow | undefined): Membership {
  const roles = new Set<PhRole>(
    (row?.granted ?? []).map((role) => role as PhRole).filter((role) => role !== 'owner'),
  )
  if (row?.owns) roles.add('owner')
  if (row?.holds) roles.add('proxy_holder')
  return { organizationId, roles: [...roles], personIds: row?.personIds ?? [] }
}

/** Roles of a user in one PH: granted memberships plus those derived from ownership and proxies. */
export async function resolveMembership(
  db: Database,
  userId: string,
  organizationId: string,
): Promise<Membership> {
  const [row] = await withTenant(db, organizationId, (tx) => membershipRows(tx, organizationId, userId))
  return membershipOf(organizationId, row)
}

/**
 * The membership of every user with a role in one PH (granted, or through a person record that owns
 * a unit or holds an active proxy), in one statement: what the auth cache loads when the PH's
 * membership version moves, instead of one look-up per user. Users without a role are left out.
 */
export async function resolveMemberships(
  db: Database,
  organizationId: string,
): Promise<Map<string, Membership>> {
  const rows = await withTenant(db, organizationId, (tx) => membershipRows(tx, organizationId, null))
  const members = new Map<string, Membership>()
  for (const row of rows) {
    const membership = membershipOf(organizationId, row)
    if (membership.roles.length > 0) members.set(row.userId, membership)
  }
  return members
}
