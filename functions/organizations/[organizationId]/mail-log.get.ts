import { Elysia, t } from 'elysia'
import { listDeliveries } from '../../../core/mail/deliveries.ts'
import { DeliverySchema } from '../../../core/mail/schemas.ts'
import { auth } from '../../_lib/auth.ts'
import { ErrorResponse, queryInteger } from '../../_lib/schemas.ts'
import { OrganizationParams, Uuid } from './_schemas.ts'

/** Every message sent to the PH's people and what became of it, newest first. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, query }) => {
    const rows = await listDeliveries(s.db, { ...params, subjectId: query.subjectId, limit: query.limit })
    return {
      deliveries: rows.map((row) => ({
        id: row.id,
        personId: row.personId,
        kind: row.kind,
        subjectId: row.subjectId,
        recipient: row.recipient,
        subject: row.subject,
        status: row.status as 'accepted' | 'failed',
        error: row.error,
        attempts: row.attempts,
        createdAt: row.createdAt.toISOString(),
      })),
    }
  },
  {
    auth: 'ph-admin',
    params: OrganizationParams,
    query: t.Object({
      subjectId: t.Optional(Uuid),
      limit: t.Optional(queryInteger('limit', { minimum: 1, maximum: 5000 })),
    }),
    response: {
      200: t.Object({ deliveries: t.Array(DeliverySchema) }),
      404: ErrorResponse,
      422: ErrorResponse,
    },
    detail: {
      summary: 'Delivery log of the messages sent to the PH’s people',
      description: 'accepted = the relay took the message; failed = refused or unreachable (error says why).',
      tags: ['mail'],
    },
  },
)
