import { and, asc, desc, eq, inArray, type SQL } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { communicationDeliveries, communications } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { AppError } from '../errors.ts'
import { notFound } from '../ph/errors.ts'
import { compareUnitNumbers, isUuid, optionalText } from '../ph/validation.ts'
import type { Communication } from './deliver.ts'

/*
 * What was sent to whom and when, read unit by unit. A unit is 'reached' when any recipient's
 * message was accepted (or the administration delivered it by hand), 'pending' while a chat message
 * is still queued, 'failed' when every attempt failed, 'no_contact' when nobody could be reached.
 */

export type UnitState = 'reached' | 'pending' | 'failed' | 'no_contact'

type Row = typeof communicationDeliveries.$inferSelect

export interface UnitDeliveries {
  unitId: string | null
  unitNumber: string
  state: UnitState
  deliveries: Pick<
    Row,
    'id' | 'channel' | 'recipient' | 'personName' | 'status' | 'error' | 'note' | 'createdAt' | 'updatedAt'
  >[]
}

export interface CommunicationSummary extends Omit<Communication, 'text' | 'html'> {
  units: Record<UnitState, number> & { total: number }
  messages: { accepted: number; failed: number; queued: number }
}

export function unitState(rows: readonly Pick<Row, 'status'>[]): UnitState {
  const statuses = new Set(rows.map((row) => row.status))
  if (statuses.has('accepted') || statuses.has('delivered_by_hand')) return 'reached'
  if (statuses.has('queued')) return 'pending'
  if (statuses.has('failed')) return 'failed'
  return 'no_contact'
}

function byUnit(rows: readonly Row[]): UnitDeliveries[] {
  const groups = new Map<string, Row[]>()
  for (const row of rows) {
    const key = row.unitId ?? `#${row.unitNumber}`
    groups.set(key, [...(groups.get(key) ?? []), row])
  }
  return [...groups.values()]
    .map((group) => ({
      unitId: group[0]!.unitId,
      unitNumber: group[0]!.unitNumber,
      state: unitState(group),
      deliveries: group.map(
        ({ id, channel, recipient, personName, status, error, note, createdAt, updatedAt }) => ({
          id,
          channel,
          recipient,
          personName,
          status,
          error,
          note,
          createdAt,
          updatedAt,
        }),
      ),
    }))
    .sort((a, b) => compareUnitNumbers(a.unitNumber, b.unitNumber))
}

/** Where-clause of the communications of an assembly, narrowed by `extra`. */
export function assemblyCommunications(input: { organizationId: string; assemblyId: string }, extra?: SQL) {
  return and(
    eq(communications.organizationId, input.organizationId),
    eq(communications.assemblyId, input.assemblyId),
    extra,
  )
}

/** Every communication of an assembly, newest first, with its counts by unit and by message. */
export async function listCommunications(
  db: Database,
  input: { organizationId: string; assemblyId: string },
): Promise<CommunicationSummary[]> {
  return withTenant(db, input.organizationId, async (tx) => {
    const list = await tx
      .select()
      .from(communications)
      .where(assemblyCommunications(input))
      .orderBy(desc(communications.createdAt))
    const rows =
      list.length === 0
        ? []
        : await tx
            .select()
            .from(communicationDeliveries)
            .where(
              inArray(
                communicationDeliveries.communicationId,
                list.map((c) => c.id),
              ),
            )
    return list.map(({ text: _text, html: _html, ...communication }) => {
      const own = rows.filter((row) => row.communicationId === communication.id)
      const units = { total: 0, reached: 0, pending: 0, failed: 0, no_contact: 0 }
      for (const unit of byUnit(own)) {
        units.total += 1
        units[unit.state] += 1
      }
      const count = (status: string) =>
        own.filter((row) => row.status === status && row.channel !== 'paper').length
      return {
        ...communication,
        units,
        messages: { accepted: count('accepted'), failed: count('failed'), queued: count('queued') },
      }
    })
  })
}

/** One communication as sent (subject, text, HTML) and what reached each unit. Errors: 404. */
export async function getCommunication(
  db: Database,
  input: { organizationId: string; assemblyId: string; communicationId: string },
): Promise<{ communication: Communication; units: UnitDeliveries[] }> {
  if (!isUuid(input.communicationId)) throw notFound('Communication')
  return withTenant(db, input.organizationId, async (tx) => {
    const [communication] = await tx
      .select()
      .from(communications)
      .where(assemblyCommunications(input, eq(communications.id, input.communicationId)))
    if (!communication) throw notFound('Communication')
    const rows = await tx
      .select()
      .from(communicationDeliveries)
      .where(eq(communicationDeliveries.communicationId, communication.id))
      .orderBy(asc(communicationDeliveries.createdAt))
    return { communication, units: byUnit(rows) }
  })
}

/**
 * Records that the administration delivered a communication to a unit by hand (on paper), with who,
 * when and a note. Errors: 404 (communication, or a unit it was not addressed to), 409
 * `already_reached` when the unit already got it.
 */
export async function recordHandDelivery(
  db: Database,
  input: {
    organizationId: string
    assemblyId: string
    communicationId: string
    unitId: string
    note?: string | null
    actor: { userId: string | null }
  },
): Promise<UnitDeliveries> {
  const note = optionalText('note', input.note, 500) ?? null
  if (!isUuid(input.unitId)) throw notFound('Unit')
  const { communication, units } = await getCommunication(db, input)
  const unit = units.find((entry) => entry.unitId === input.unitId)
  if (!unit) throw notFound('Unit')
  if (unit.state === 'reached')
    throw new AppError(409, 'already_reached', `Unit ${unit.unitNumber} already received this communication`)
  await withTenant(db, input.organizationId, (tx) =>
    tx.insert(communicationDeliveries).values({
      organizationId: input.organizationId,
      communicationId: communication.id,
      unitId: input.unitId,
      unitNumber: unit.unitNumber,
      channel: 'paper',
      status: 'delivered_by_hand',
      recordedByUserId: input.actor.userId,
      note,
    }),
  )
  const after = await getCommunication(db, input)
  return after.units.find((entry) => entry.unitId === input.unitId)!
}
