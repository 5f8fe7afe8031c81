import { Elysia, t } from 'elysia'
import { organizationsOfUser } from '../../core/auth/user-organizations.ts'
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
    return {
      user,
      expiresAt: session.expiresAt.toISOString(),
      organizations: await organizationsOfUser(s.db, user.id),
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
