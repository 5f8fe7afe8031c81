import { and, asc, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { people } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { AppError } from '../errors.ts'
import type { Actor } from '../ph/types.ts'

/**
 * The person of the PH linked to the signed-in user: the account's oldest person record there (the
 * one self check-in, self check-out and the check-in code all use). Throws 403 `not_an_attendee`.
 */
export async function requireLinkedPerson(
  db: Database,
  organizationId: string,
  actor: Actor,
): Promise<{ id: string; fullName: string }> {
  const person = actor.userId
    ? await withTenant(db, organizationId, async (tx) => {
        const [row] = await tx
          .select({ id: people.id, fullName: people.fullName })
          .from(people)
          .where(and(eq(people.organizationId, organizationId), eq(people.userId, actor.userId!)))
          .orderBy(asc(people.createdAt))
          .limit(1)
        return row ?? null
      })
    : null
  if (!person) {
    throw new AppError(
      403,
      'not_an_attendee',
      'Your account is not linked to an owner or proxy holder of this PH',
    )
  }
  return person
}
