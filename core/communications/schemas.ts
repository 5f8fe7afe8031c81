import { type Static, Type } from '@sinclair/typebox'
import { Nullable, Timestamp, Uuid } from '../schemas.ts'

/*
 * The answers of the communication routes (what was sent to the owners, unit by unit, and the art. 71
 * deadline), owned once here (TypeBox, without Elysia): the routes validate and document with them,
 * the admin console and the owner's home read their static types.
 */

export const UnitStateSchema = Type.Union([
  Type.Literal('reached'),
  Type.Literal('pending'),
  Type.Literal('failed'),
  Type.Literal('no_contact'),
])
export type UnitState = Static<typeof UnitStateSchema>

const UnitCounts = Type.Object({
  total: Type.Integer(),
  reached: Type.Integer(),
  pending: Type.Integer(),
  failed: Type.Integer(),
  no_contact: Type.Integer(),
})

export const CommunicationSchema = Type.Object({
  id: Uuid,
  kind: Type.String({ description: "'notice', 'corrected_notice', 'notice_reminder', 'summary', 'acta'" }),
  trigger: Type.String({ description: "'automatic' (scheduler) or 'admin'" }),
  subject: Type.String(),
  createdAt: Timestamp,
  finishedAt: Nullable(Timestamp),
  units: UnitCounts,
  messages: Type.Object({ accepted: Type.Integer(), failed: Type.Integer(), queued: Type.Integer() }),
})
export type CommunicationView = Static<typeof CommunicationSchema>

/** One unit of a communication: whether it was reached, and every delivery tried for it. */
export const UnitDeliveriesSchema = Type.Object({
  unitId: Nullable(Uuid),
  unitNumber: Type.String(),
  state: UnitStateSchema,
  deliveries: Type.Array(
    Type.Object({
      id: Uuid,
      channel: Type.String({ description: "'email', 'telegram', 'whatsapp', 'paper' or 'none'" }),
      recipient: Nullable(Type.String()),
      personName: Nullable(Type.String()),
      status: Type.String({
        description: "'accepted', 'failed', 'queued', 'no_contact', 'delivered_by_hand'",
      }),
      error: Nullable(Type.String()),
      note: Nullable(Type.String()),
      at: Timestamp,
    }),
  ),
})
export type UnitDeliveriesView = Static<typeof UnitDeliveriesSchema>

/** The deadline of art. 71 and where the assembly stands. */
export const OverviewSchema = Type.Object({
  status: Type.String(),
  closedAt: Nullable(Timestamp),
  summaryDelayHours: Type.Integer(),
  summaryScheduledAt: Nullable(Timestamp),
  summaryDeadline: Nullable(Timestamp),
  summarySentAt: Nullable(Timestamp),
  actaReady: Type.Boolean(),
  actaSentAt: Nullable(Timestamp),
})
export type CommunicationsOverview = Static<typeof OverviewSchema>

/** GET …/published: what the owners can read after the meeting (the summary; the acta once sent). */
export const PublishedSchema = Type.Object({
  summary: Nullable(Type.Object({ sentAt: Timestamp, subject: Type.String(), text: Type.String() })),
  acta: Nullable(Type.Object({ sentAt: Timestamp })),
})
export type Published = Static<typeof PublishedSchema>
