import { Elysia, t } from 'elysia'
import { SessionInfoSchema } from '../../core/auth/schemas.ts'
import { organizationsOfUser } from '../../core/auth/user-organizations.ts'
import { optionalUser } from '../_lib/auth.ts'
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
    response: t.Union([SessionInfoSchema, t.Object({ user: t.Null() })]),
    detail: { summary: 'Who am I', tags: ['auth'] },
  },
)
