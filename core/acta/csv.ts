import { and, desc, eq, inArray } from 'drizzle-orm'
import Papa from 'papaparse'
import type { Database } from '../../db/client.ts'
import { auditLog, units, users, votes } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { readMotion } from '../motions/motions.ts'
import { findMotionResult } from '../motions/results.ts'
import { publishResult } from '../motions/secret-publication.ts'
import { compareUnitNumbers } from '../motions/voting-facts.ts'
import { loadAttendanceRecords } from './model.ts'

/*
 * CSV exports, RFC 4180 (CRLF, quotes as needed) with a UTF-8 BOM so spreadsheets keep the accents.
 * Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
 */

/** Every attendance record of an assembly: unit, finca, coefficient, owners, attendee, capacity, mode, times (ISO 8601). */
export async function exportAttendanceCsv(
  db: Database,
  input: { organizationId: string; assemblyId: string },
): Promise<string> {
  const records = await withTenant(db, input.organizationId, (tx) =>
    loadAttendanceRecords(tx, input.organizationId, input.assemblyId),
  )
  return toCsv(
    [
      'unit',
      'finca',
      'coefficient',
      'owners',
      'attendee',
      'capacity',
      'mode',
      'checked_in_at',
      'checked_out_at',
    ],
    records.map((record) => [
      record.unitNumber,
      record.finca ?? '',
      record.coefficient,
      record.owners.join('; '),
      record.attendee ?? '',
      record.capacity,
      record.mode,
      record.checkedInAt.toISOString(),
      record.checkedOutAt?.toISOString() ?? '',
    ]),
  )
}

/**
 * The votes of a motion. Named motions: one row per unit with its choice, weight, who cast it and the
 * receipt hash. Secret motions never link a unit to a choice: only the sorted receipt hashes and, once
 * closed, the totals per option from the result snapshot. Errors: 404 not_found.
 */
export async function exportVotesCsv(
  db: Database,
  input: { organizationId: string; motionId: string },
): Promise<string> {
  const { organizationId } = input
  return withTenant(db, organizationId, async (tx) => {
    const { motion } = await readMotion(tx, input)
    if (motion.secret) return secretVotesCsv(tx, input)
    const labelOf = new Map(motion.options.map((option) => [option.key, option.label]))
    const rows = await tx
      .select({
        number: units.number,
        finca: units.finca,
        optionKeys: votes.optionKeys,
        weight: votes.weight,
        upToDate: votes.upToDate,
        proxyId: votes.proxyId,
        channel: votes.channel,
        revision: votes.revision,
        castAt: votes.castAt,
        receipt: votes.receipt,
        castByUserId: votes.castByUserId,
      })
      .from(votes)
      .innerJoin(units, eq(units.id, votes.unitId))
      .where(and(eq(votes.motionId, motion.id), eq(votes.organizationId, organizationId)))
    rows.sort((a, b) => compareUnitNumbers(a.number, b.number))
    const desk = await deskRecords(tx, organizationId, motion.id, rows)
    return toCsv(
      [
        'unit',
        'finca',
        'weight',
        'up_to_date',
        'options',
        'option_labels',
        'voted_as',
        'channel',
        'revision',
        'cast_at',
        'receipt_hash',
        'recorded_by',
        'desk_kind',
        'desk_reason',
      ],
      rows.map((row) => [
        row.number,
        row.finca ?? '',
        row.weight,
        row.upToDate ? 'true' : 'false',
        row.optionKeys.join('|'),
        row.optionKeys.map((key) => labelOf.get(key) ?? key).join('|'),
        row.proxyId ? 'proxy' : 'owner',
        row.channel,
        String(row.revision),
        row.castAt.toISOString(),
        row.receipt,
        desk.get(row.number)?.recordedBy ?? '',
        desk.get(row.number)?.kind ?? '',
        desk.get(row.number)?.reason ?? '',
      ]),
    )
  })
}

/**
 * Who recorded each desk ballot (the staff member's email) and how and why (the desk, a paper ballot
 * or a show of hands, with the reason given), by unit number: the acta's record of staff-entered
 * votes. The reason is in the audit entry of the request that recorded the unit's latest ballot.
 */
async function deskRecords(
  tx: Database,
  organizationId: string,
  motionId: string,
  rows: readonly { number: string; channel: string; castByUserId: string | null }[],
): Promise<Map<string, { recordedBy: string; kind: string; reason: string }>> {
  const deskRows = rows.filter((row) => row.channel === 'desk')
  if (deskRows.length === 0) return new Map()
  const staffIds = [...new Set(deskRows.flatMap((row) => (row.castByUserId ? [row.castByUserId] : [])))]
  const staff = staffIds.length
    ? await tx.select({ id: users.id, email: users.email }).from(users).where(inArray(users.id, staffIds))
    : []
  const emailOf = new Map(staff.map((user) => [user.id, user.email]))
  // The audit log is installation-wide (no row-level security): this PH's entries only.
  const entries = await tx
    .select({ actorUserId: auditLog.actorUserId, data: auditLog.data })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.organizationId, organizationId),
        eq(auditLog.action, 'vote.desk_recorded'),
        eq(auditLog.subject, motionId),
      ),
    )
    .orderBy(desc(auditLog.id))
  const records = new Map<string, { recordedBy: string; kind: string; reason: string }>()
  for (const row of deskRows) {
    // The newest entry by the same staff member that accepted this unit.
    const entry = entries.find((candidate) => {
      const data = candidate.data as { units?: unknown } | null
      return (
        candidate.actorUserId === row.castByUserId &&
        Array.isArray(data?.units) &&
        data.units.includes(row.number)
      )
    })
    const data = (entry?.data ?? {}) as { kind?: string; reason?: string }
    records.set(row.number, {
      recordedBy: (row.castByUserId && emailOf.get(row.castByUserId)) || '',
      kind: data.kind ?? '',
      reason: data.reason ?? '',
    })
  }
  return records
}

async function secretVotesCsv(
  tx: Database,
  input: { organizationId: string; motionId: string },
): Promise<string> {
  const result = await findMotionResult(tx, input)
  if (!result) {
    // While open, even totals would leak a running count; only the receipts are listed.
    const rows = await tx
      .select({ receipt: votes.receipt })
      .from(votes)
      .where(and(eq(votes.motionId, input.motionId), eq(votes.organizationId, input.organizationId)))
    const receipts = rows.map((row) => row.receipt).sort()
    return toCsv(secretHeader, receipts.map(receiptRow))
  }
  // Rounded or withheld like every other published figure of a secret motion.
  const shown = publishResult(result, { exact: false })
  const { tally, motion } = shown.totals
  const labelOf = new Map(motion.options.map((option) => [option.key, option.label]))
  const totals = [
    ...tally.options.map((row) => [
      'option',
      row.key,
      labelOf.get(row.key) ?? row.key,
      String(row.units),
      row.coefficient ?? '',
      '',
    ]),
    ...(['cast', 'abstained', 'notVoted', 'present', 'eligible'] as const).map((key) => [
      'total',
      key,
      '',
      String(tally[key].units),
      tally[key].coefficient ?? '',
      '',
    ]),
  ]
  return toCsv(secretHeader, [...totals, ...result.totals.receipts.map(receiptRow)])
}

const secretHeader = ['record', 'key', 'label', 'units', 'coefficient', 'receipt_hash']

function receiptRow(receipt: string): string[] {
  return ['receipt', '', '', '', '', receipt]
}

const FORMULA_START = /^[=+\-@\t\r]/

/** Rows as CSV text with a BOM; formula-like cells are neutralized. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const safe = rows.map((row) => row.map((cell) => (FORMULA_START.test(cell) ? `'${cell}` : cell)))
  return `\uFEFF${Papa.unparse({ fields: [...header], data: safe }, { newline: '\r\n', quotes: false })}\r\n`
}
