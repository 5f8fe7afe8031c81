import { Elysia, t } from 'elysia'
import { revokeProxy } from '../../../../../../../core/assemblies/index.ts'
import { sendProxyDecision } from '../../../../../../../core/mail/proxy-decision.ts'
import { auth } from '../../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../../_lib/schemas.ts'
import { Uuid } from '../../../../_schemas.ts'
import { assemblyDeps } from '../../../_deps.ts'
import { attendanceTags, LiveQuorumSchema, ProxySchema, proxyView } from '../../../_schemas.ts'

/** Revokes a proxy; the holder's attendance for the unit ends with it. Owners and holder are told by email and chat. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user }) => {
    const result = await revokeProxy(
      s.db,
      { ...params, reason: body?.reason ?? null, actor: { userId: user.id } },
      assemblyDeps(s),
    )
    await sendProxyDecision(
      { db: s.db, mailer: s.mailer, bus: s.bus, publicUrl: s.config.publicUrl },
      { organizationId: params.organizationId, proxy: result.proxy },
    ).catch((error) => s.log.error('proxy revocation: telling the owner failed', { ...params, error }))
    return { proxy: proxyView(result.proxy), quorum: result.quorum }
  },
  {
    auth: 'checkin-staff',
    params: t.Object({ organizationId: Uuid, assemblyId: Uuid, proxyId: Uuid }),
    body: t.Optional(
      t.Object(
        { reason: t.Optional(t.Nullable(t.String({ maxLength: 500 }))) },
        { additionalProperties: false },
      ),
    ),
    response: {
      200: t.Object({
        proxy: ProxySchema,
        quorum: t.Nullable(LiveQuorumSchema, { description: 'Recorded while attendance is taken' }),
      }),
      404: ErrorResponse,
      409: ErrorResponse,
    },
    detail: {
      summary: 'Revoke a proxy',
      description: 'Errors: 409 proxy_not_active, 409 assembly_closed.',
      tags: attendanceTags,
    },
  },
)
