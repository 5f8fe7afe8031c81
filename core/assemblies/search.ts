import { and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { attendance, ownerships, people, proxies, units } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import type { UnitOwner } from '../ph/ownerships.ts'
import { escapeLike } from '../ph/validation.ts'
import { findAssembly } from './guards.ts'
import { isPresent } from './presence.ts'
import { activeProxies } from './proxy-revocation.ts'
import type { AttendanceMode } from './types.ts'

/** A unit found at the desk, with who may attend for it and whether it is already present. */
export interface AttendeeMatch {
  unitId: string
  number: string
  finca: string | null
  coefficient: string
  upToDate: boolean
  owners: Array<Omit<UnitOwner, 'phone' | 'since'>>
  /** The unit's active proxy for this assembly. */
  proxy: { proxyId: string; holderPersonId: string; holderName: string; validUntil: Date | null } | null
  /** The open attendance of the unit, if it is checked in. */
  attendance: {
    attendanceId: string
    personId: string | null
    mode: AttendanceMode
    checkedInAt: Date
  } | null
}

// Accents the desk may leave out when typing a name; lower-case on both sides first.
const ACCENTED = 'áàäâãéèëêíìïîóòöôõúùüûñç'
const PLAIN = 'aaaaaeeeeiiiiooooouuuunc'

/**
 * Finds units for the check-in desk by unit number (prefix), owner or proxy-holder name (any part,
 * accents and case ignored), email, or document id (punctuation ignored). Exact unit numbers come
 * first. Throws 404 `not_found` for an unknown assembly; an empty query finds nothing.
 */
export async function searchAttendees(
  db: Database,
  input: { organizationId: string; assemblyId: string; query: string; limit?: number },
): Promise<AttendeeMatch[]> {
  const { organizationId, assemblyId } = input
  const query = input.query.trim()
  const limit = Math.min(Math.max(input.limit ?? 20, 1), 100)
  return withTenant(db, organizationId, async (tx) => {
    await findAssembly(tx, organizationId, assemblyId)
    if (query === '') return []
    const unitIds = await matchingUnitIds(tx, { organizationId, assemblyId, query, limit })
    if (unitIds.length === 0) return []
    return describeUnits(tx, organizationId, assemblyId, unitIds)
  })
}

async function matchingUnitIds(
  tx: Database,
  input: { organizationId: string; assemblyId: string; query: string; limit: number },
): Promise<string[]> {
  const { organizationId, assemblyId, query, limit } = input
  const contains = `%${escapeLike(stripAccents(query).toLowerCase())}%`
  const document = query.replace(/[^0-9a-z]/gi, '').toUpperCase()
  const personMatches = (person: typeof people): SQL =>
    sql`(translate(lower(${person.fullName}), ${ACCENTED}, ${PLAIN}) like ${contains}
      or lower(${person.email}) like ${`%${escapeLike(query.toLowerCase())}%`}
      ${document.length >= 3 ? sql`or upper(regexp_replace(coalesce(${person.documentId}, ''), '[^0-9A-Za-z]', '', 'g')) like ${`${document}%`}` : sql``})`
  const rows = await tx
    .select({ id: units.id })
    .from(units)
    .where(
      and(
        eq(units.organizationId, organizationId),
        sql`(upper(${units.number}) like ${`${escapeLike(query.toUpperCase())}%`}
          or exists (select 1 from ${ownerships} join ${people} on ${people.id} = ${ownerships.personId}
            where ${ownerships.unitId} = ${units.id} and ${ownerships.organizationId} = ${organizationId}
            and ${personMatches(people)})
          or exists (select 1 from ${proxies} join ${people} on ${people.id} = ${proxies.holderPersonId}
            where ${proxies.grantorUnitId} = ${units.id} and ${proxies.organizationId} = ${organizationId}
            and ${proxies.assemblyId} = ${assemblyId}
            and ${proxies.status} = 'active' and ${personMatches(people)}))`,
      ),
    )
    .orderBy(sql`upper(${units.number}) = ${query.toUpperCase()} desc`, asc(units.number))
    .limit(limit)
  return rows.map((row) => row.id)
}

async function describeUnits(
  tx: Database,
  organizationId: string,
  assemblyId: string,
  unitIds: string[],
): Promise<AttendeeMatch[]> {
  const unitRows = await tx
    .select({
      unitId: units.id,
      number: units.number,
      finca: units.finca,
      coefficient: units.coefficient,
      upToDate: units.upToDate,
    })
    .from(units)
    .where(and(eq(units.organizationId, organizationId), inArray(units.id, unitIds)))
  const ownerRows = await tx
    .select({
      unitId: ownerships.unitId,
      personId: people.id,
      fullName: people.fullName,
      email: people.email,
      documentId: people.documentId,
      isRepresentative: ownerships.isRepresentative,
    })
    .from(ownerships)
    .innerJoin(people, eq(people.id, ownerships.personId))
    .where(and(eq(ownerships.organizationId, organizationId), inArray(ownerships.unitId, unitIds)))
    .orderBy(sql`${ownerships.isRepresentative} desc`, asc(people.fullName))
  const proxyRows = await tx
    .select({
      unitId: proxies.grantorUnitId,
      proxyId: proxies.id,
      holderPersonId: proxies.holderPersonId,
      holderName: people.fullName,
      validUntil: proxies.validUntil,
    })
    .from(proxies)
    .innerJoin(people, eq(people.id, proxies.holderPersonId))
    .where(activeProxies(organizationId, assemblyId, inArray(proxies.grantorUnitId, unitIds)))
  const attendanceRows = await tx
    .select({
      unitId: attendance.unitId,
      attendanceId: attendance.id,
      personId: attendance.personId,
      mode: attendance.mode,
      checkedInAt: attendance.checkedInAt,
    })
    .from(attendance)
    .where(
      and(
        eq(attendance.organizationId, organizationId),
        eq(attendance.assemblyId, assemblyId),
        isPresent,
        inArray(attendance.unitId, unitIds),
      ),
    )
  const byUnit = new Map(unitRows.map((row) => [row.unitId, row]))
  return unitIds.flatMap((unitId) => {
    const unit = byUnit.get(unitId)
    if (!unit) return []
    const proxy = proxyRows.find((row) => row.unitId === unitId)
    const present = attendanceRows.find((row) => row.unitId === unitId)
    return [
      {
        ...unit,
        owners: ownerRows.filter((row) => row.unitId === unitId).map(({ unitId: _unit, ...owner }) => owner),
        proxy: proxy
          ? {
              proxyId: proxy.proxyId,
              holderPersonId: proxy.holderPersonId,
              holderName: proxy.holderName,
              validUntil: proxy.validUntil,
            }
          : null,
        attendance: present
          ? {
              attendanceId: present.attendanceId,
              personId: present.personId,
              mode: present.mode,
              checkedInAt: present.checkedInAt,
            }
          : null,
      },
    ]
  })
}

function stripAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{Diacritic}/gu, '')
}
