import { and, eq, inArray } from 'drizzle-orm'
import { Elysia, t } from 'elysia'
import { memberships, organizations, people } from '../../db/schema/index.ts'
import { withPlatformScope } from '../../db/tenant.ts'
import { optionalUser } from '../_lib/auth.ts'
import { SessionUserSchema } from '../_lib/schemas.ts'
import { services } from '../_lib/services.ts'

/**
 * The signed-in user and the PHs they belong to (by granted role or as owner / proxy holder);
 * `{ user: null }` for a browser that is not signed in, so every page can ask without an error.
 */
export default new Elysia().use(services).get(
  '',
  async ({ services: s, request }) => {
    const found = await optionalUser(s, request)
    if (!found) return { user: null }
    const { user, session } = found
    const granted = await s.db
      .select({ organizationId: memberships.organizationId, role: memberships.role })
      .from(memberships)
      .where(eq(memberships.userId, user.id))
    // The user's own person records across PHs: platform-scoped read, filtered to this user.
    const linked = await withPlatformScope(s.db, (tx) =>
      tx
        .selectDistinct({ organizationId: people.organizationId })
        .from(people)
        .where(eq(people.userId, user.id)),
    )
    const ids = [
      ...new Set([...granted.map((row) => row.organizationId), ...linked.map((row) => row.organizationId)]),
    ]
    const orgs =
      ids.length === 0
        ? []
        : await s.db
            .select({ id: organizations.id, name: organizations.name, slug: organizations.slug })
            .from(organizations)
            .where(and(inArray(organizations.id, ids)))
    return {
      user,
      expiresAt: session.expiresAt.toISOString(),
      organizations: orgs.map((org) => ({
        ...org,
        roles: granted.filter((row) => row.organizationId === org.id).map((row) => row.role),
        linkedAsPerson: linked.some((row) => row.organizationId === org.id),
      })),
    }
  },
  {
    response: t.Union([
      t.Object({
        user: SessionUserSchema,
        expiresAt: t.String(),
        organizations: t.Array(
          t.Object({
            id: t.String(),
            name: t.String(),
            slug: t.String(),
            roles: t.Array(t.String()),
            linkedAsPerson: t.Boolean(),
          }),
        ),
      }),
      t.Object({ user: t.Null() }),
    ]),
    detail: { summary: 'Who am I', tags: ['auth'] },
  },
)
