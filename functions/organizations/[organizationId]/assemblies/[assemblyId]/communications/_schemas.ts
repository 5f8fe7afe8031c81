import type { CommunicationSummary, UnitDeliveries } from '../../../../../../core/communications/report.ts'
import {
  CommunicationSchema,
  OverviewSchema,
  UnitDeliveriesSchema,
} from '../../../../../../core/communications/schemas.ts'

// The answer shapes are owned by core (core/communications/schemas.ts).
export { CommunicationSchema, OverviewSchema, UnitDeliveriesSchema }

export const communicationTags = ['communications']

const iso = (date: Date | null) => date?.toISOString() ?? null

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

export const unitView = (unit: UnitDeliveries) => ({
  ...unit,
  deliveries: unit.deliveries.map(({ createdAt: _created, updatedAt, ...row }) => ({
    ...row,
    at: updatedAt.toISOString(),
  })),
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
