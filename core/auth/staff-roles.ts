import { and, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { memberships } from '../../db/schema/index.ts'
import type { ChangeDeps } from '../changes/notifier.ts'
import { AppError } from '../errors.ts'

type GrantedRole = (typeof memberships.$inferInsert)['role']

/**
 * Grants a role in the PH to a user. Throws 409 `already_exists` (field 'role') when they hold it.
 * Announces a membership change: every process drops its cached roles of the PH.
 */
export async function grantRole(
  db: Database,
  input: { organizationId: string; userId: string; role: GrantedRole; email: string },
  deps: ChangeDeps = {},
): Promise<{ membershipId: string }> {
  const { organizationId, userId, role } = input
  const [granted] = await db
    .insert(memberships)
    .values({ userId, organizationId, role })
    .onConflictDoNothing()
    .returning({ id: memberships.id })
  if (!granted) {
    throw new AppError(409, 'already_exists', `${input.email} already has the role ${role}`, {
      field: 'role',
    })
  }
  await deps.changes?.announce({ organizationId, kinds: ['membership'] })
  return { membershipId: granted.id }
}

/**
 * Revokes a granted role; the PH always keeps at least one admin. Throws 409 `last_admin` and
 * 404 `not_found`. Announces a membership change.
 */
export async function revokeRole(
  db: Database,
  input: { organizationId: string; membershipId: string; role: GrantedRole },
  deps: ChangeDeps = {},
): Promise<void> {
  const { organizationId, membershipId } = input
  await db.transaction(async (tx) => {
    // Locking every admin row makes two admins removing each other at once take turns.
    const admins = await tx
      .select({ id: memberships.id })
      .from(memberships)
      .where(and(eq(memberships.organizationId, organizationId), eq(memberships.role, 'ph_admin')))
      .for('update')
    if (input.role === 'ph_admin' && admins.length <= 1) {
      throw new AppError(
        409,
        'last_admin',
        'A PH needs at least one admin; grant the role to someone else first',
      )
    }
    const removed = await tx
      .delete(memberships)
      .where(and(eq(memberships.organizationId, organizationId), eq(memberships.id, membershipId)))
      .returning({ id: memberships.id })
    if (removed.length === 0) throw new AppError(404, 'not_found', 'Member not found', { resource: 'Member' })
  })
  await deps.changes?.announce({ organizationId, kinds: ['membership'] })
}
