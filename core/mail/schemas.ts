import { type Static, Type } from '@sinclair/typebox'
import { Nullable, Timestamp, Uuid } from '../schemas.ts'

/*
 * The delivery log's answer, owned once here (TypeBox, without Elysia): the route validates and
 * documents with it, the web console reads its static type. The send report of bulk sends
 * (invitations, vote reminders) is SendReportSchema in ./deliveries.ts.
 */

/** One message sent to a person of the PH and what became of it. */
export const DeliverySchema = Type.Object({
  id: Uuid,
  personId: Nullable(Uuid),
  kind: Type.String(),
  subjectId: Nullable(Uuid),
  recipient: Type.String(),
  subject: Type.String(),
  status: Type.Union([Type.Literal('accepted'), Type.Literal('failed')]),
  error: Nullable(Type.String()),
  attempts: Type.Integer(),
  createdAt: Timestamp,
})
export type DeliveryView = Static<typeof DeliverySchema>
