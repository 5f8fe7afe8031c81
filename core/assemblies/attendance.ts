import { and, asc, eq, gte, inArray, isNull, lte, or, sql } from 'drizzle-orm'
import type { PgInsertValue } from 'drizzle-orm/pg-core'
import type { Database } from '../../db/client.ts'
import { attendance, ownerships, people, proxies, units } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { AppError } from '../errors.ts'
import { invalidField, isUniqueViolation } from '../ph/errors.ts'
import type { Actor } from '../ph/types.ts'
import { isUuid } from '../ph/validation.ts'
import { type CheckInKey, verifyCheckInToken } from './checkin-token.ts'
import { announceCommitted, notifyRevokedProxies, nowOf, publishToAssembly } from './events.ts'
import { assertAcceptsAttendance, findAssembly, lockAssembly, requirePersonId } from './guards.ts'
import { requireLinkedPerson } from './linked-person.ts'
import { isPresent } from './presence.ts'
import { activeProxies, revokeProxiesInTransaction } from './proxy-revocation.ts'
import { evaluateAssemblyQuorum, type LiveQuorum, quorumMessage, recordQuorum } from './quorum.ts'
import type { Assembly, AssemblyDeps, AttendanceMode, ProxyRevokedEvent } from './types.ts'

/** One check-in of a unit, with the names the desk and the acta show. */
export interface AttendanceRecord {
  id: string
  unitId: string
  unitNumber: string
  finca: string | null
  /** Who attends for the unit: its representative owner, or the proxy holder. */
  personId: string | null
  personName: string | null
  /** Set when the person attends as proxy holder. */
  proxyId: string | null
  mode: AttendanceMode
  checkedInAt: Date
  checkedOutAt: Date | null
}

export interface CheckInInput {
  organizationId: string
  assemblyId: string
  personId: string
  /** Units to check in; default every unit the person represents (as representative owner or by proxy). */
  unitIds?: readonly string[]
  mode: AttendanceMode
  actor: Actor
}

export interface CheckInResult {
  checkedIn: AttendanceRecord[]
  /** Units this person had already checked in (left as they were). */
  alreadyPresent: AttendanceRecord[]
  /** Proxies revoked because their owner checked in personally; their holders have been told. */
  revokedProxies: ProxyRevokedEvent[]
  quorum: LiveQuorum
}

/**
 * Checks a person in for the units they represent (all by default, or `unitIds`), at the desk or
 * remotely. When an owner checks in personally, the active proxy of their unit is revoked (reason
 * 'owner_checked_in'), the holder's attendance for it ends and the holder is told. Records the quorum.
 * Throws 404 `not_found`, 409 `assembly_not_open` / `assembly_closed`, 422 `mode_not_allowed`
 * (e.g. remote in an in-person assembly), 422 `not_representative` (details.unitIds),
 * 409 `already_checked_in` (someone else attends for the unit; details.unitIds).
 */
export async function checkIn(
  db: Database,
  input: CheckInInput,
  deps: AssemblyDeps = {},
): Promise<CheckInResult> {
  const { organizationId, assemblyId, personId, mode } = input
  const now = nowOf(deps)
  const result = await withTenant(db, organizationId, async (tx) => {
    const assembly = await lockAssembly(tx, organizationId, assemblyId)
    assertAcceptsAttendance(assembly)
    assertModeAllowed(assembly, mode)
    await requirePersonId(tx, organizationId, personId)
    const represented = await representedUnits(tx, { organizationId, assemblyId, personId, now })
    const targets = chooseTargets(represented, input.unitIds)
    const open = await openAttendance(
      tx,
      organizationId,
      assemblyId,
      inArray(attendance.unitId, [...targets.keys()]),
    )
    const alreadyPresent = open.filter((row) => row.personId === personId)
    // An owner displaces their proxy holder (the proxy is revoked below); anyone else is a conflict.
    const conflicts = open.filter(
      (row) => row.personId !== personId && !(targets.get(row.unitId) === null && row.proxyId !== null),
    )
    if (conflicts.length > 0) {
      throw new AppError(
        409,
        'already_checked_in',
        `Unit ${conflicts.map((row) => row.unitNumber).join(', ')} is already checked in by someone else`,
        { unitIds: conflicts.map((row) => row.unitId) },
      )
    }
    const ownedUnitIds = [...targets].filter(([, proxyId]) => proxyId === null).map(([unitId]) => unitId)
    const revokedProxies = await revokeOwnersProxies(tx, organizationId, assemblyId, ownedUnitIds)
    const present = new Set(alreadyPresent.map((row) => row.unitId))
    const rows = [...targets]
      .filter(([unitId]) => !present.has(unitId))
      .map(([unitId, proxyId]) => ({
        organizationId,
        assemblyId,
        unitId,
        personId,
        proxyId,
        mode,
        checkedInByUserId: input.actor.userId,
        checkedInAt: sql`clock_timestamp()`,
      }))
    const inserted = rows.length === 0 ? [] : await insertAttendance(tx, rows)
    const changed = inserted.length > 0 || revokedProxies.length > 0
    const quorum = changed
      ? await recordQuorum(tx, organizationId, assembly)
      : await evaluateAssemblyQuorum(tx, organizationId, assembly)
    const checkedIn = await openAttendance(tx, organizationId, assemblyId, inArray(attendance.id, inserted))
    return { checkedIn, alreadyPresent, revokedProxies, quorum, changed }
  })
  if (result.changed) {
    const revokedUnitIds = result.revokedProxies.map((event) => event.unitId)
    await announceCommitted(deps, {
      organizationId,
      assemblyId,
      kinds: revokedUnitIds.length > 0 ? ['attendance', 'proxy'] : ['attendance'],
      unitIds: [...result.checkedIn.map((record) => record.unitId), ...revokedUnitIds],
    })
  }
  await notifyRevokedProxies(deps, result.revokedProxies)
  if (result.changed) await publishAttendance(deps, assemblyId, 'check_in', result.checkedIn, result.quorum)
  const { changed: _changed, ...checkInResult } = result
  return checkInResult
}

/**
 * Checks in the person named by a scanned code (see createCheckInToken) for every unit they
 * represent. Throws 400 `invalid_check_in_token` for a forged code or one of another assembly,
 * then whatever checkIn throws.
 */
export async function checkInByToken(
  db: Database,
  input: { organizationId: string; assemblyId: string; token: string; mode: AttendanceMode; actor: Actor },
  deps: AssemblyDeps & { checkInKey: CheckInKey },
): Promise<CheckInResult> {
  const claims = verifyCheckInToken(deps.checkInKey, input.token.trim())
  if (!claims || claims.assemblyId !== input.assemblyId) {
    throw new AppError(400, 'invalid_check_in_token', 'This code is not valid for this assembly')
  }
  return checkIn(db, { ...input, personId: claims.personId }, deps)
}

/**
 * Self check-in (usually remote): checks in the person linked to the signed-in user (`people.user_id`)
 * for every unit they represent. Throws 403 `not_an_attendee` when the actor has no person in this
 * PH, then whatever checkIn throws.
 */
export async function selfCheckIn(
  db: Database,
  input: { organizationId: string; assemblyId: string; mode?: AttendanceMode; actor: Actor },
  deps: AssemblyDeps = {},
): Promise<CheckInResult> {
  const personId = (await requireLinkedPerson(db, input.organizationId, input.actor)).id
  return checkIn(db, { ...input, personId, mode: input.mode ?? 'remote' }, deps)
}

/**
 * The signed-in owner or proxy holder leaves the meeting: ends the attendance of every unit they attend
 * for and records the quorum (the departure time goes in the acta). Throws 403 `not_an_attendee`, then
 * whatever checkOut throws (409 `not_checked_in` when they are not present).
 */
export async function selfCheckOut(
  db: Database,
  input: { organizationId: string; assemblyId: string; actor: Actor },
  deps: AssemblyDeps = {},
): Promise<{ checkedOut: AttendanceRecord[]; quorum: LiveQuorum }> {
  const personId = (await requireLinkedPerson(db, input.organizationId, input.actor)).id
  return checkOut(db, { ...input, personId }, deps)
}

/**
 * Ends the attendance of the given units, or of every unit the person attends for. Records the
 * quorum. Throws 404, 409 `assembly_not_open` / `assembly_closed`, 422 `validation_failed` (neither
 * given), 409 `not_checked_in` (details.unitIds: units without an open attendance).
 */
export async function checkOut(
  db: Database,
  input: {
    organizationId: string
    assemblyId: string
    unitIds?: readonly string[]
    personId?: string
    actor: Actor
  },
  deps: AssemblyDeps = {},
): Promise<{ checkedOut: AttendanceRecord[]; quorum: LiveQuorum }> {
  const { organizationId, assemblyId, unitIds, personId } = input
  if (!unitIds?.length && !personId)
    throw invalidField('unitIds', 'name the units or the person to check out')
  const result = await withTenant(db, organizationId, async (tx) => {
    const assembly = await lockAssembly(tx, organizationId, assemblyId)
    assertAcceptsAttendance(assembly)
    const filter = unitIds?.length
      ? inArray(attendance.unitId, unitIds.filter(isUuid))
      : eq(attendance.personId, isUuid(personId!) ? personId! : crypto.randomUUID())
    const open = await openAttendance(tx, organizationId, assemblyId, filter)
    const missing = unitIds?.length
      ? unitIds.filter((unitId) => !open.some((row) => row.unitId === unitId))
      : []
    if (open.length === 0 || missing.length > 0) {
      throw new AppError(409, 'not_checked_in', 'Not checked in', { unitIds: missing })
    }
    const ids = open.map((row) => row.id)
    await tx
      .update(attendance)
      .set({ checkedOutAt: sql`clock_timestamp()` })
      .where(and(eq(attendance.organizationId, organizationId), inArray(attendance.id, ids)))
    const quorum = await recordQuorum(tx, organizationId, assembly)
    const checkedOut = await selectAttendance(tx, organizationId, assemblyId, inArray(attendance.id, ids))
    return { checkedOut, quorum }
  })
  await announceCommitted(deps, {
    organizationId,
    assemblyId,
    kinds: ['attendance'],
    unitIds: result.checkedOut.map((record) => record.unitId),
  })
  await publishAttendance(deps, assemblyId, 'check_out', result.checkedOut, result.quorum)
  return result
}

/** Attendance of an assembly in check-in order (open rows only with `openOnly`). Throws 404. */
export async function listAttendance(
  db: Database,
  input: { organizationId: string; assemblyId: string; openOnly?: boolean },
): Promise<AttendanceRecord[]> {
  const { organizationId, assemblyId } = input
  return withTenant(db, organizationId, async (tx) => {
    await findAssembly(tx, organizationId, assemblyId)
    return selectAttendance(tx, organizationId, assemblyId, input.openOnly ? isPresent : undefined)
  })
}

/**
 * The units a person may attend for in an assembly: unit id → null when they are its representative
 * owner, or the id of the proxy in effect at `now` that they hold for it. Runs in the caller's transaction.
 */
export async function representedUnits(
  tx: Database,
  input: { organizationId: string; assemblyId: string; personId: string; now: Date },
): Promise<Map<string, string | null>> {
  const { organizationId, assemblyId, personId, now } = input
  const owned = await tx
    .select({ unitId: ownerships.unitId })
    .from(ownerships)
    .where(
      and(
        eq(ownerships.organizationId, organizationId),
        eq(ownerships.personId, personId),
        eq(ownerships.isRepresentative, true),
      ),
    )
  const held = await tx
    .select({ unitId: proxies.grantorUnitId, proxyId: proxies.id })
    .from(proxies)
    .where(
      activeProxies(
        organizationId,
        assemblyId,
        eq(proxies.holderPersonId, personId),
        or(isNull(proxies.validFrom), lte(proxies.validFrom, now)),
        or(isNull(proxies.validUntil), gte(proxies.validUntil, now)),
      ),
    )
  const represented = new Map<string, string | null>(held.map((proxy) => [proxy.unitId, proxy.proxyId]))
  for (const { unitId } of owned) represented.set(unitId, null)
  return represented
}

function chooseTargets(represented: Map<string, string | null>, unitIds: readonly string[] | undefined) {
  if (!unitIds) {
    if (represented.size > 0) return represented
    throw new AppError(422, 'not_representative', 'This person represents no unit in this assembly', {
      unitIds: [],
    })
  }
  const foreign = unitIds.filter((unitId) => !represented.has(unitId))
  if (foreign.length > 0 || unitIds.length === 0) {
    throw new AppError(422, 'not_representative', 'This person does not represent every unit given', {
      unitIds: foreign,
    })
  }
  return new Map(unitIds.map((unitId) => [unitId, represented.get(unitId) ?? null]))
}

async function revokeOwnersProxies(
  tx: Database,
  organizationId: string,
  assemblyId: string,
  unitIds: string[],
) {
  if (unitIds.length === 0) return []
  const active = await tx
    .select({ id: proxies.id })
    .from(proxies)
    .where(activeProxies(organizationId, assemblyId, inArray(proxies.grantorUnitId, unitIds)))
  return revokeProxiesInTransaction(
    tx,
    organizationId,
    assemblyId,
    active.map((proxy) => proxy.id),
    'owner_checked_in',
  )
}

async function insertAttendance(
  tx: Database,
  rows: Array<PgInsertValue<typeof attendance>>,
): Promise<string[]> {
  try {
    const inserted = await tx.insert(attendance).values(rows).returning({ id: attendance.id })
    return inserted.map((row) => row.id)
  } catch (error) {
    if (isUniqueViolation(error, 'attendance_one_open_per_unit')) {
      throw new AppError(409, 'already_checked_in', 'A unit is already checked in')
    }
    throw error
  }
}

function assertModeAllowed(assembly: Assembly, mode: AttendanceMode): void {
  if (mode !== 'in_person' && mode !== 'remote') throw invalidField('mode', 'must be in_person or remote')
  if (assembly.modality === 'mixed' || assembly.modality === mode) return
  throw new AppError(
    422,
    'mode_not_allowed',
    `This assembly is ${assembly.modality}; ${mode} attendance is not possible`,
  )
}

function openAttendance(
  tx: Database,
  organizationId: string,
  assemblyId: string,
  filter: ReturnType<typeof eq>,
) {
  return selectAttendance(tx, organizationId, assemblyId, and(filter, isPresent))
}

function selectAttendance(
  tx: Database,
  organizationId: string,
  assemblyId: string,
  filter: ReturnType<typeof and>,
): Promise<AttendanceRecord[]> {
  return tx
    .select({
      id: attendance.id,
      unitId: attendance.unitId,
      unitNumber: units.number,
      finca: units.finca,
      personId: attendance.personId,
      personName: people.fullName,
      proxyId: attendance.proxyId,
      mode: attendance.mode,
      checkedInAt: attendance.checkedInAt,
      checkedOutAt: attendance.checkedOutAt,
    })
    .from(attendance)
    .innerJoin(units, eq(units.id, attendance.unitId))
    .leftJoin(people, eq(people.id, attendance.personId))
    .where(and(eq(attendance.organizationId, organizationId), eq(attendance.assemblyId, assemblyId), filter))
    .orderBy(asc(attendance.checkedInAt), asc(units.number))
}

async function publishAttendance(
  deps: AssemblyDeps,
  assemblyId: string,
  change: 'check_in' | 'check_out',
  records: readonly AttendanceRecord[],
  quorum: LiveQuorum,
): Promise<void> {
  await publishToAssembly(deps, assemblyId, {
    type: 'attendance',
    change,
    units: records.map((record) => ({ unitId: record.unitId, number: record.unitNumber, mode: record.mode })),
  })
  await publishToAssembly(deps, assemblyId, quorumMessage(quorum))
}
