import { Elysia, status, t } from 'elysia'
import { getAssembly } from '../../../../../core/assemblies/index.ts'
import { ScreenLinkSchema } from '../../../../../core/assemblies/schemas.ts'
import { appendAudit } from '../../../../../core/auth/audit.ts'
import { createScreenToken } from '../../../../../core/realtime-tokens.ts'
import { auth, clientIp } from '../../../../_lib/auth.ts'
import { errorBody } from '../../../../_lib/errors.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'

/**
 * A signed, read-only link for the projector's tally screen: it shows one assembly without signing in,
 * until it expires (12 hours by default).
 */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user, request, server }) => {
    const assembly = await getAssembly(s.db, params)
    if (!assembly) return status(404, errorBody('not_found', 'Assembly not found'))
    const hours = body?.hours ?? 12
    const token = createScreenToken(
      s.secretKey,
      { organizationId: params.organizationId, assemblyId: assembly.id },
      hours * 3_600_000,
    )
    await appendAudit(s.db, {
      action: 'screen_link.created',
      organizationId: params.organizationId,
      actorUserId: user.id,
      subject: assembly.id,
      ip: clientIp(request, server, s.config),
      data: { hours },
    })
    return {
      token,
      screenUrl: `${s.config.publicUrl}/screen?token=${encodeURIComponent(token)}`,
      websocketUrl: `${s.config.realtimePublicUrl}?screen=${encodeURIComponent(token)}`,
      expiresAt: new Date(Date.now() + hours * 3_600_000).toISOString(),
    }
  },
  {
    auth: 'ph-admin',
    params: t.Object({
      organizationId: t.String({ format: 'uuid' }),
      assemblyId: t.String({ format: 'uuid' }),
    }),
    body: t.Optional(
      t.Object(
        { hours: t.Optional(t.Integer({ minimum: 1, maximum: 72 })) },
        { additionalProperties: false },
      ),
    ),
    response: {
      200: ScreenLinkSchema,
      404: ErrorResponse,
    },
    detail: { summary: 'Create a read-only tally-screen link', tags: ['realtime'] },
  },
)
