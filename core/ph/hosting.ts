import { asc } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { memberships, organizations } from '../../db/schema/index.ts'
import { findOrCreateUser } from '../auth/otp.ts'
import { AppError } from '../errors.ts'
import { createOrganization, type OrganizationInput } from './organizations.ts'
import type { Actor } from './types.ts'

/* The PHs as the operator of the installation sees them (platform administrators). */

/** Every PH hosted on this installation, by name. */
export function listOrganizations(db: Database) {
  return db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name })
    .from(organizations)
    .orderBy(asc(organizations.name))
}

/**
 * Creates a PH and grants its first administrator (by email; the account is created if new), all or
 * nothing. Throws 409 `slug_taken` when the slug is in use, 422 naming a bad field.
 */
export async function createOrganizationWithAdmin(
  db: Database,
  input: { organization: OrganizationInput; adminEmail: string; actor: Actor },
): Promise<{ organization: { id: string; slug: string; name: string }; adminUserId: string }> {
  try {
    return await db.transaction(async (tx) => {
      const created = await createOrganization(tx, { organization: input.organization, actor: input.actor })
      const admin = await findOrCreateUser(tx, input.adminEmail)
      await tx
        .insert(memberships)
        .values({ userId: admin.userId, organizationId: created.id, role: 'ph_admin' })
      return {
        organization: { id: created.id, slug: created.slug, name: created.name },
        adminUserId: admin.userId,
      }
    })
  } catch (error) {
    if (error instanceof AppError && error.code === 'already_exists')
      throw new AppError(409, 'slug_taken', 'body.slug: a PH with this slug exists')
    throw error
  }
}
