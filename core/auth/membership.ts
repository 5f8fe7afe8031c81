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

/** Roles of a user in one PH: granted memberships plus those derived from ownership and proxies. */
export async function resolveMembership(
  db: Database,
  userId: string,
  organizationId: string,
): Promise<Membership> {
  // One prepared statement (the hot path of every cold request): granted roles, person records,
  // and whether any of them owns a unit or holds an active proxy in this PH.
  const [row] = await withTenant(db, organizationId, (tx) =>
    tx
      .select({
        granted: sql<string[]>`coalesce((select array_agg(m.role::text) from memberships m
          where m.user_id = me.user_id and m.organization_id = me.organization_id), '{}')`,
        personIds: sql<string[]>`coalesce((select array_agg(p.id::text order by p.id) from people p
          where p.user_id = me.user_id and p.organization_id = me.organization_id), '{}')`,
        owns: sql<boolean>`exists(select 1 from ownerships o join people p on p.id = o.person_id
          where p.user_id = me.user_id and o.organization_id = me.organization_id)`,
        holds: sql<boolean>`exists(select 1 from proxies x join people p on p.id = x.holder_person_id
          where p.user_id = me.user_id and x.organization_id = me.organization_id and x.status = 'active')`,
      })
      .from(sql`(select ${userId}::uuid as user_id, ${organizationId}::uuid as organization_id) as me`)
      .prepare('resolve_membership')
      .execute(),
  )
  const roles = new Set<PhRole>(
    (row?.granted ?? []).map((role) => role as PhRole).filter((role) => role !== 'owner'),
  )
  if (row?.owns) roles.add('owner')
  if (row?.holds) roles.add('proxy_holder')
  return { organizationId, roles: [...roles], personIds: row?.personIds ?? [] }
}
