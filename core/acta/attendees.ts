import { and, asc, eq, inArray } from 'drizzle-orm'
import { alias } from 'drizzle-orm/pg-core'
import type { Database } from '../../db/client.ts'
import { attendance, ownerships, people, proxies, units } from '../../db/schema/index.ts'
import { compareUnitNumbers } from '../ph/validation.ts'
import type { ActaAttendee } from './model.ts'

/** One attendance record (a check-in, with its check-out if any), with who attended and in which capacity. */
export interface AttendanceRecord {
  unitId: string
  unitNumber: string
  finca: string | null
  /** Percent with 9 decimals. */
  coefficient: string
  owners: string[]
  attendee: string | null
  capacity: 'owner' | 'proxy'
  mode: 'in_person' | 'remote'
  checkedInAt: Date
  checkedOutAt: Date | null
}

/**
 * Every attendance record of an assembly in check-in order. The attendee acts as proxy holder when the
 * record names a proxy, or when they hold the unit's proxy without being one of its owners.
 */
export async function loadAttendanceRecords(
  tx: Database,
  organizationId: string,
  assemblyId: string,
): Promise<AttendanceRecord[]> {
  const attendeePerson = alias(people, 'attendee_person')
  const rows = await tx
    .select({
      unitId: attendance.unitId,
      number: units.number,
      finca: units.finca,
      coefficient: units.coefficient,
      personId: attendance.personId,
      attendee: attendeePerson.fullName,
      proxyId: attendance.proxyId,
      mode: attendance.mode,
      checkedInAt: attendance.checkedInAt,
      checkedOutAt: attendance.checkedOutAt,
    })
    .from(attendance)
    .innerJoin(units, eq(units.id, attendance.unitId))
    .leftJoin(attendeePerson, eq(attendeePerson.id, attendance.personId))
    .where(and(eq(attendance.assemblyId, assemblyId), eq(attendance.organizationId, organizationId)))
    .orderBy(asc(attendance.checkedInAt))
  const unitIds = [...new Set(rows.map((row) => row.unitId))]
  if (unitIds.length === 0) return []
  const [owners, proxyHolders] = await Promise.all([
    tx
      .select({ unitId: ownerships.unitId, personId: people.id, name: people.fullName })
      .from(ownerships)
      .innerJoin(people, eq(people.id, ownerships.personId))
      .where(and(eq(ownerships.organizationId, organizationId), inArray(ownerships.unitId, unitIds)))
      .orderBy(asc(people.fullName)),
    tx
      .select({ unitId: proxies.grantorUnitId, holderPersonId: proxies.holderPersonId })
      .from(proxies)
      .where(and(eq(proxies.assemblyId, assemblyId), eq(proxies.organizationId, organizationId))),
  ])
  return rows.map((row) => {
    const unitOwners = owners.filter((owner) => owner.unitId === row.unitId)
    const isOwner = unitOwners.some((owner) => owner.personId === row.personId)
    const isHolder = proxyHolders.some((p) => p.unitId === row.unitId && p.holderPersonId === row.personId)
    return {
      unitId: row.unitId,
      unitNumber: row.number,
      finca: row.finca,
      coefficient: row.coefficient,
      owners: unitOwners.map((owner) => owner.name),
      attendee: row.attendee,
      capacity: row.proxyId || (isHolder && !isOwner) ? 'proxy' : 'owner',
      mode: row.mode,
      checkedInAt: row.checkedInAt,
      checkedOutAt: row.checkedOutAt,
    }
  })
}

/** One attendee per unit: first arrival, last departure, every mode used, the latest representative. */
export function aggregateAttendees(
  records: readonly AttendanceRecord[],
  amendsBylaws: boolean,
): ActaAttendee[] {
  const byUnit = new Map<string, ActaAttendee>()
  for (const record of records) {
    const entry = byUnit.get(record.unitId)
    if (!entry) {
      byUnit.set(record.unitId, {
        unitNumber: record.unitNumber,
        finca: record.finca,
        coefficient: amendsBylaws ? record.coefficient : null,
        owners: record.owners,
        attendee: record.attendee,
        capacity: record.capacity,
        modes: [record.mode],
        checkedInAt: record.checkedInAt,
        checkedOutAt: record.checkedOutAt,
      })
      continue
    }
    if (!entry.modes.includes(record.mode)) entry.modes.push(record.mode)
    entry.attendee = record.attendee ?? entry.attendee
    entry.capacity = record.capacity
    entry.checkedOutAt =
      record.checkedOutAt === null || entry.checkedOutAt === null ? null : record.checkedOutAt
  }
  return [...byUnit.values()].sort((a, b) => compareUnitNumbers(a.unitNumber, b.unitNumber))
}
