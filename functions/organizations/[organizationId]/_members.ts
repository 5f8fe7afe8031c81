import { and, asc, eq, inArray, type SQL } from 'drizzle-orm'
import { t } from 'elysia'
import type { Database } from '../../../db/client.ts'
import { memberships, users } from '../../../db/schema/index.ts'
import { Timestamp, Uuid } from './_schemas.ts'

/** The roles a PH admin grants; owner and proxy holder follow from the roster and the proxies. */
export const GRANTABLE_ROLES = ['ph_admin', 'checkin_staff', 'auditor'] as const
export type GrantableRole = (typeof GRANTABLE_ROLES)[number]

export const Role = t.Union([t.Literal('ph_admin'), t.Literal('checkin_staff'), t.Literal('auditor')], {
  description: 'auditor: reads the exact figures of secret motions',
})

export const MemberSchema = t.Object({
  id: Uuid,
  userId: Uuid,
  email: t.String(),
  displayName: t.Nullable(t.String()),
  role: Role,
  createdAt: Timestamp,
})

/** Granted roles of the PH (memberships are not tenant rows: every query names the PH). */
export async function selectMembers(db: Database, organizationId: string, filter?: SQL) {
  const rows = await db
    .select({
      id: memberships.id,
      userId: memberships.userId,
      email: users.email,
      displayName: users.displayName,
      role: memberships.role,
      createdAt: memberships.createdAt,
    })
    .from(memberships)
    .innerJoin(users, eq(users.id, memberships.userId))
    .where(
      and(
        eq(memberships.organizationId, organizationId),
        inArray(memberships.role, [...GRANTABLE_ROLES]),
        filter,
      ),
    )
    .orderBy(asc(users.email), asc(memberships.role))
  return rows.map((row) => ({
    ...row,
    role: row.role as GrantableRole,
    createdAt: row.createdAt.toISOString(),
  }))
}
