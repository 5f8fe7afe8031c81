import { t } from 'elysia'
import type { CommunicationSummary, UnitDeliveries } from '../../../../../../core/communications/report.ts'
import { Timestamp, Uuid } from '../../../_schemas.ts'

export const communicationTags = ['communications']

const iso = (date: Date | null) => date?.toISOString() ?? null

const UnitCounts = t.Object({
  total: t.Integer(),
  reached: t.Integer(),
  pending: t.Integer(),
  failed: t.Integer(),
  no_contact: t.Integer(),
})

export const CommunicationSchema = t.Object({
  id: Uuid,
  kind: t.String({ description: "'notice', 'corrected_notice', 'notice_reminder', 'summary', 'acta'" }),
  trigger: t.String({ description: "'automatic' (scheduler) or 'admin'" }),
  subject: t.String(),
  createdAt: Timestamp,
  finishedAt: t.Nullable(Timestamp),
  units: UnitCounts,
  messages: t.Object({ accepted: t.Integer(), failed: t.Integer(), queued: t.Integer() }),
})

export const communicationView = (c: CommunicationSummary) => ({
  id: c.id,
  kind: c.kind,
  trigger: c.trigger,
  subject: c.subject,
  createdAt: c.createdAt.toISOString(),
  finishedAt: iso(c.finishedAt),
  units: c.units,
  messages: c.messages,
})

export const UnitDeliveriesSchema = t.Object({
  unitId: t.Nullable(Uuid),
  unitNumber: t.String(),
  state: t.Union([t.Literal('reached'), t.Literal('pending'), t.Literal('failed'), t.Literal('no_contact')]),
  deliveries: t.Array(
    t.Object({
      id: Uuid,
      channel: t.String({ description: "'email', 'telegram', 'whatsapp', 'paper' or 'none'" }),
      recipient: t.Nullable(t.String()),
      personName: t.Nullable(t.String()),
      status: t.String({ description: "'accepted', 'failed', 'queued', 'no_contact', 'delivered_by_hand'" }),
      error: t.Nullable(t.String()),
      note: t.Nullable(t.String()),
      at: Timestamp,
    }),
  ),
})

export const unitView = (unit: UnitDeliveries) => ({
  ...unit,
  deliveries: unit.deliveries.map(({ createdAt: _created, updatedAt, ...row }) => ({
    ...row,
    at: updatedAt.toISOString(),
  })),
})

/** The deadline of art. 71 and where the assembly stands. */
export const OverviewSchema = t.Object({
  status: t.String(),
  closedAt: t.Nullable(Timestamp),
  summaryDelayHours: t.Integer(),
  summaryScheduledAt: t.Nullable(Timestamp),
  summaryDeadline: t.Nullable(Timestamp),
  summarySentAt: t.Nullable(Timestamp),
  actaReady: t.Boolean(),
  actaSentAt: t.Nullable(Timestamp),
})

export const overviewView = (o: {
  status: string
  closedAt: Date | null
  summaryDelayHours: number
  summaryScheduledAt: Date | null
  summaryDeadline: Date | null
  summarySentAt: Date | null
  actaReady: boolean
  actaSentAt: Date | null
}) => ({
  ...o,
  closedAt: iso(o.closedAt),
  summaryScheduledAt: iso(o.summaryScheduledAt),
  summaryDeadline: iso(o.summaryDeadline),
  summarySentAt: iso(o.summarySentAt),
  actaSentAt: iso(o.actaSentAt),
})
