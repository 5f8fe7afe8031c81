import { Elysia, t } from 'elysia'
import { listProxies } from '../../../../../core/assemblies/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { Uuid } from '../../_schemas.ts'
import { AssemblyParams, attendanceTags, ProxySchema, proxyView } from '../_schemas.ts'

/** The proxies (poderes) of an assembly by unit number. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, query }) => ({
    proxies: (await listProxies(s.db, { ...params, ...query })).map(proxyView),
  }),
  {
    auth: 'checkin-staff',
    params: AssemblyParams,
    query: t.Object({
      status: t.Optional(t.Union([t.Literal('active'), t.Literal('revoked')])),
      holderPersonId: t.Optional(Uuid),
    }),
    response: { 200: t.Object({ proxies: t.Array(ProxySchema) }), 404: ErrorResponse },
    detail: { summary: 'List the proxies of an assembly', tags: attendanceTags },
  },
)
