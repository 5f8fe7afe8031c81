import { Elysia, t } from 'elysia'
import { revokeOwnProxy } from '../../../../../../../core/assemblies/owner-proxies.ts'
import { auth } from '../../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../../_lib/schemas.ts'
import { Uuid } from '../../../../_schemas.ts'
import { assemblyDeps } from '../../../_deps.ts'
import { attendanceTags, ProxySchema, proxyView } from '../../../_schemas.ts'

/** An owner withdraws a proxy of their own unit before the meeting starts. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, membership }) => {
    const proxy = await revokeOwnProxy(
      s.db,
      { ...params, ownerPersonIds: membership?.personIds ?? [] },
      assemblyDeps(s),
    )
    return proxyView(proxy)
  },
  {
    auth: 'member',
    params: t.Object({ organizationId: Uuid, assemblyId: Uuid, proxyId: Uuid }),
    response: { 200: ProxySchema, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
    detail: {
      summary: 'Withdraw a proxy I gave',
      description:
        'Active or awaiting approval. Errors: 403 not_unit_owner, 409 assembly_started, 409 proxy_not_active.',
      tags: attendanceTags,
    },
  },
)
