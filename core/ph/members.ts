import { and, asc, eq, inArray, type SQL } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { memberships, users } from '../../db/schema/index.ts'
import { appendAudit } from '../auth/audit.ts'
import type { Mailer } from '../auth/mailer.ts'
import { findOrCreateUser } from '../auth/otp.ts'
import { grantRole, revokeRole } from '../auth/staff-roles.ts'
import type { ChangeDeps } from '../changes/notifier.ts'
import { inviteStaff } from '../mail/invitations.ts'
import { notFound } from './errors.ts'

/** The roles a PH admin grants; owner and proxy holder follow from the roster and the proxies. */
export const GRANTABLE_ROLES = ['ph_admin', 'checkin_staff', 'auditor'] as const
export type GrantableRole = (typeof GRANTABLE_ROLES)[number]

/** A granted role of the PH, with the user who holds it. */
export interface Member {
  id: string
  userId: string
  email: string
  displayName: string | null
  role: GrantableRole
  /** ISO 8601. */
  createdAt: string
}

/** Who grants or revokes, and from where: written to the audit log. */
export interface MemberActor {
  userId: string
  ip: string | null
}

/** Granted roles of the PH (memberships are not tenant rows: every query names the PH). */
async function selectMembers(db: Database, organizationId: string, filter?: SQL): Promise<Member[]> {
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

/** Who administers the PH, staffs its check-in desk or audits it, by email then role. */
export function listMembers(db: Database, organizationId: string): Promise<Member[]> {
  return selectMembers(db, organizationId)
}

/** One granted role of the PH, or null (another PH's membership, or an owner's, is not found). */
export async function findMember(
  db: Database,
  organizationId: string,
  membershipId: string,
): Promise<Member | null> {
  const [member] = await selectMembers(db, organizationId, eq(memberships.id, membershipId))
  return member ?? null
}

/**
 * Grants a role by email. The user is created when the address has never signed in, so the role is
 * there at their first sign-in; it is linked to the PH's people with the same email too. Audited, and
 * the new co-administrator or desk member is invited by email. Throws 409 `already_exists`.
 */
export async function addMember(
  db: Database,
  input: { organizationId: string; email: string; role: GrantableRole; actor: MemberActor },
  deps: ChangeDeps & { mailer: Mailer; publicUrl: string },
): Promise<Member> {
  const { organizationId, email, role, actor } = input
  const { userId, created } = await findOrCreateUser(db, email)
  const granted = await grantRole(db, { organizationId, userId, role, email }, { changes: deps.changes })
  await appendAudit(db, {
    action: 'role.granted',
    organizationId,
    actorUserId: actor.userId,
    subject: userId,
    ip: actor.ip,
    data: { membershipId: granted.membershipId, role, userCreated: created },
  })
  // The new co-administrator or desk member learns what the platform is and where to sign in.
  await inviteStaff({ db, mailer: deps.mailer, publicUrl: deps.publicUrl }, { organizationId, email, role })
  const member = await findMember(db, organizationId, granted.membershipId)
  return member!
}

/**
 * Revokes a granted role and audits it; the PH always keeps at least one admin. Returns the member as
 * it was. Throws 404 `not_found` and 409 `last_admin`.
 */
export async function removeMember(
  db: Database,
  input: { organizationId: string; membershipId: string; actor: MemberActor },
  deps: ChangeDeps = {},
): Promise<Member> {
  const { organizationId, membershipId, actor } = input
  const member = await findMember(db, organizationId, membershipId)
  if (!member) throw notFound('Member')
  await revokeRole(db, { organizationId, membershipId, role: member.role }, deps)
  await appendAudit(db, {
    action: 'role.revoked',
    organizationId,
    actorUserId: actor.userId,
    subject: member.userId,
    ip: actor.ip,
    data: { membershipId, role: member.role },
  })
  return member
}
