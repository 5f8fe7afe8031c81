import { Elysia, t } from 'elysia'
import { decideProxy } from '../../../../../../../core/assemblies/owner-proxies.ts'
import { sendProxyDecision } from '../../../../../../../core/mail/proxy-decision.ts'
import { auth } from '../../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../../_lib/schemas.ts'
import { Uuid } from '../../../../_schemas.ts'
import { assemblyDeps } from '../../../_deps.ts'
import { attendanceTags, ProxySchema, proxyView } from '../../../_schemas.ts'

/**
 * The administrator approves or refuses a proxy an owner filed (when the PH requires approval). The
 * owners of the unit are told by email and chat (with the reason of a refusal), the holder on approval.
 */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user }) => {
    const proxy = await decideProxy(
      s.db,
      { ...params, decision: body.decision, reason: body.reason ?? null, actor: { userId: user.id } },
      assemblyDeps(s),
    )
    await sendProxyDecision(
      { db: s.db, mailer: s.mailer, bus: s.bus, publicUrl: s.config.publicUrl },
      { organizationId: params.organizationId, proxy },
    ).catch((error) => s.log.error('proxy decision: telling the owner failed', { ...params, error }))
    return proxyView(proxy)
  },
  {
    auth: 'ph-admin',
    params: t.Object({ organizationId: Uuid, assemblyId: Uuid, proxyId: Uuid }),
    body: t.Object(
      {
        decision: t.Union([t.Literal('approve'), t.Literal('refuse')]),
        reason: t.Optional(t.Nullable(t.String({ maxLength: 500 }))),
      },
      { additionalProperties: false },
    ),
    response: { 200: ProxySchema, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    detail: {
      summary: 'Approve or refuse an owner-filed proxy',
      description:
        'The owners are emailed (and told on linked chats) either way, the holder on approval (`proxy_decision` in the mail log). Errors: 409 proxy_not_pending, 409 assembly_closed, 409 proxy_exists.',
      tags: attendanceTags,
    },
  },
)
