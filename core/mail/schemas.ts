import { type Static, Type } from '@sinclair/typebox'
import { Nullable, Timestamp, Uuid } from '../schemas.ts'

/*
 * The answers of the mail routes (delivery log, invitations), owned once here (TypeBox, without
 * Elysia): the routes validate and document with them, the web console reads their static types.
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

const Failed = Type.Array(
  Type.Object({ personId: Nullable(Uuid), recipient: Type.String(), error: Nullable(Type.String()) }),
)
const Skipped = Type.Object({ personId: Uuid, fullName: Type.String() })

/** POST …/invitations: how many invitations left, which failed, who has no email. */
export const InvitationResultSchema = Type.Object({
  sent: Type.Integer(),
  failed: Failed,
  skipped: Type.Array(Skipped, { description: 'Owners without an email' }),
})
export type InvitationResult = Static<typeof InvitationResultSchema>

/** POST …/board/remind: the reminders sent to present units that have not voted. */
export const VoteReminderResultSchema = Type.Object({
  sent: Type.Integer(),
  failed: Failed,
  skipped: Type.Array(Skipped),
})
export type VoteReminderResult = Static<typeof VoteReminderResultSchema>
