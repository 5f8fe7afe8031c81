import { Elysia, status, t } from 'elysia'
import { myAssemblyView } from '../../../../../core/assemblies/me.ts'
import { MyAssemblySchema } from '../../../../../core/assemblies/schemas.ts'
import { auth } from '../../../../_lib/auth.ts'
import { errorBody } from '../../../../_lib/errors.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'

/**
 * The signed-in owner's or proxy holder's view of an assembly: the units they may vote (owned, or
 * held by proxy, with presence), the units they own with their up-to-date status, the proxies they gave (active or
 * awaiting approval) and hold, and the PH's rules for owner-filed proxies.
 */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, membership }) => {
    const view = await myAssemblyView(s.db, { ...params, personIds: membership?.personIds ?? [] })
    return view ?? status(404, errorBody('not_found', 'Assembly not found'))
  },
  {
    auth: 'member',
    params: t.Object({
      organizationId: t.String({ format: 'uuid' }),
      assemblyId: t.String({ format: 'uuid' }),
    }),
    response: {
      200: MyAssemblySchema,
      404: ErrorResponse,
    },
    detail: { summary: 'My units and proxies in an assembly', tags: ['attendance'] },
  },
)
