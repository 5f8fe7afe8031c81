import { and, desc, eq, inArray } from 'drizzle-orm'
import Papa from 'papaparse'
import type { Database } from '../../db/client.ts'
import { assemblies, auditLog, organizations, units, users, votes } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { readMotion } from '../motions/motions.ts'
import { findMotionResult } from '../motions/results.ts'
import { auditTallyView, sealedFor } from '../motions/running-tally.ts'
import { publishResult } from '../motions/secret-publication.ts'
import type { Motion } from '../motions/types.ts'
import { notFound } from '../ph/errors.ts'
import { slugify } from '../ph/organizations.ts'
import { compareUnitNumbers } from '../ph/validation.ts'
import { type CsvLanguage, csvWords, formatCsvDate, formatCsvTime } from './csv-words.ts'
import { loadAttendanceRecords } from './model.ts'

/*
 * CSV exports, RFC 4180 (CRLF, quotes as needed) with a UTF-8 BOM so spreadsheets keep the accents.
 * Cells that a spreadsheet would run as a formula are prefixed with an apostrophe.
 */

/** A CSV file: its text and the name it is downloaded under. */
export interface CsvExport {
  csv: string
  fileName: string
}

interface CsvContext {
  language: CsvLanguage
  timeZone: string
  slug: string
}

/** The PH's slug, time zone and language; `language` (the request's) wins over the PH's. */
async function contextOf(tx: Database, organizationId: string, language?: CsvLanguage): Promise<CsvContext> {
  const [organization] = await tx
    .select({ slug: organizations.slug, timeZone: organizations.timeZone, language: organizations.language })
    .from(organizations)
    .where(eq(organizations.id, organizationId))
  const phLanguage: CsvLanguage = organization?.language === 'en' ? 'en' : 'es'
  return {
    language: language ?? phLanguage,
    timeZone: organization?.timeZone ?? 'America/Panama',
    slug: organization?.slug ?? 'ph',
  }
}

async function assemblyDate(tx: Database, input: { organizationId: string; assemblyId: string }) {
  const [assembly] = await tx
    .select({ firstCallAt: assemblies.firstCallAt })
    .from(assemblies)
    .where(and(eq(assemblies.id, input.assemblyId), eq(assemblies.organizationId, input.organizationId)))
  if (!assembly) throw notFound('assembly')
  return assembly.firstCallAt
}

/**
 * Every attendance record of an assembly: unit, finca, coefficient, owners, attendee, capacity, mode and
 * times in the PH's time zone, headed in `language` (the PH's when absent). Named
 * `asistencia-<ph>-<date>.csv` (`attendance-…` in English). Errors: 404 not_found.
 */
export async function exportAttendanceCsv(
  db: Database,
  input: { organizationId: string; assemblyId: string; language?: CsvLanguage },
): Promise<CsvExport> {
  const { ctx, records, date } = await withTenant(db, input.organizationId, async (tx) => ({
    ctx: await contextOf(tx, input.organizationId, input.language),
    date: await assemblyDate(tx, input),
    records: await loadAttendanceRecords(tx, input.organizationId, input.assemblyId),
  }))
  const w = csvWords[ctx.language]
  const h = w.attendance
  const time = (date: Date) => formatCsvTime(date, ctx.timeZone)
  const csv = toCsv(
    [
      h.unit,
      h.finca,
      h.coefficient,
      h.owners,
      h.attendee,
      h.capacity,
      h.mode,
      h.checkedIn(ctx.timeZone),
      h.checkedOut(ctx.timeZone),
    ],
    records.map((record) => [
      record.unitNumber,
      record.finca ?? '',
      record.coefficient,
      record.owners.join('; '),
      record.attendee ?? '',
      w.capacity[record.capacity] ?? record.capacity,
      w.mode[record.mode] ?? record.mode,
      time(record.checkedInAt),
      record.checkedOutAt ? time(record.checkedOutAt) : '',
    ]),
  )
  const fileName = `${w.attendanceFile}-${ctx.slug}-${formatCsvDate(date, ctx.timeZone)}.csv`
  return { csv, fileName }
}

/**
 * The votes of a motion. Named motions: one row per unit with its choice, weight, who cast it and the
 * receipt hash. Secret motions never link a unit to a choice: only the sorted receipt hashes and, once
 * closed, the totals per option (and an election's result) from the result snapshot. While the motion is
 * open and sealed (secret, or named in a PH that seals results) only receipts are listed, and every
 * export of an open motion is audited. Named `votaciones-<ph>-<date>-<motion>.csv` (`votes-…` in
 * English). Errors: 404 not_found.
 */
export async function exportVotesCsv(
  db: Database,
  input: { organizationId: string; motionId: string; language?: CsvLanguage; userId?: string | null },
): Promise<CsvExport> {
  const { organizationId } = input
  const { motion, ctx, date } = await withTenant(db, organizationId, async (tx) => {
    const { motion } = await readMotion(tx, input)
    return {
      motion,
      ctx: await contextOf(tx, organizationId, input.language),
      date: await assemblyDate(tx, { organizationId, assemblyId: motion.assemblyId }),
    }
  })
  const w = csvWords[ctx.language]
  const fileName = `${w.votesFile}-${ctx.slug}-${formatCsvDate(date, ctx.timeZone)}-${slugify(motion.title) || 'mocion'}.csv`
  let sealed = false
  if (motion.status === 'open') {
    sealed = await sealedFor(db, organizationId, motion)
    await auditTallyView(db, { organizationId, motion, userId: input.userId ?? null, view: 'export', sealed })
  }
  const csv = await withTenant(db, organizationId, (tx) =>
    motion.secret || sealed ? secretVotesCsv(tx, input, ctx) : namedVotesCsv(tx, motion, ctx),
  )
  return { csv, fileName }
}

async function namedVotesCsv(tx: Database, motion: Motion, ctx: CsvContext): Promise<string> {
  const w = csvWords[ctx.language]
  const h = w.votes
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
    .where(and(eq(votes.motionId, motion.id), eq(votes.organizationId, motion.organizationId)))
  rows.sort((a, b) => compareUnitNumbers(a.number, b.number))
  const desk = await deskRecords(tx, motion.organizationId, motion.id, rows)
  return toCsv(
    [
      h.unit,
      h.finca,
      h.weight,
      h.upToDate,
      h.options,
      h.labels,
      h.votedAs,
      h.channel,
      h.revision,
      h.castAt(ctx.timeZone),
      h.receipt,
      h.recordedBy,
      h.deskKind,
      h.deskReason,
    ],
    rows.map((row) => [
      row.number,
      row.finca ?? '',
      row.weight,
      row.upToDate ? w.yes : w.no,
      row.optionKeys.join('|'),
      row.optionKeys.map((key) => labelOf.get(key) ?? key).join(' | '),
      row.proxyId ? w.capacity.proxy! : w.capacity.owner!,
      w.channel[row.channel] ?? row.channel,
      String(row.revision),
      formatCsvTime(row.castAt, ctx.timeZone),
      row.receipt,
      desk.get(row.number)?.recordedBy ?? '',
      w.deskKind[desk.get(row.number)?.kind ?? ''] ?? desk.get(row.number)?.kind ?? '',
      desk.get(row.number)?.reason ?? '',
    ]),
  )
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
  ctx: CsvContext,
): Promise<string> {
  const w = csvWords[ctx.language]
  const h = w.secret
  const header = [h.record, h.key, h.label, h.units, h.coefficient, h.elected, h.receipt]
  const receiptRow = (receipt: string) => [w.records.receipt, '', '', '', '', '', receipt]
  const result = await findMotionResult(tx, input)
  if (!result) {
    // While open, even totals would leak a running count; only the receipts are listed.
    const rows = await tx
      .select({ receipt: votes.receipt })
      .from(votes)
      .where(and(eq(votes.motionId, input.motionId), eq(votes.organizationId, input.organizationId)))
    const receipts = rows.map((row) => row.receipt).sort()
    return toCsv(header, receipts.map(receiptRow))
  }
  // Rounded or withheld like every other published figure of a secret motion.
  const shown = publishResult(result, { exact: false })
  const { tally, motion, election } = shown.totals
  const labelOf = new Map(motion.options.map((option) => [option.key, option.label]))
  const electedOf = new Map(election?.candidates.map((c) => [c.key, w.elected[`${c.elected}`]]) ?? [])
  const totals = [
    ...tally.options.map((row) => [
      w.records.option,
      row.key,
      labelOf.get(row.key) ?? row.key,
      String(row.units),
      row.coefficient ?? '',
      electedOf.get(row.key) ?? '',
      '',
    ]),
    ...(['cast', 'abstained', 'notVoted', 'present', 'eligible'] as const).map((key) => [
      w.records.total,
      key,
      w.totals[key],
      String(tally[key].units),
      tally[key].coefficient ?? '',
      '',
      '',
    ]),
  ]
  return toCsv(header, [...totals, ...result.totals.receipts.map(receiptRow)])
}

const FORMULA_START = /^[=+\-@\t\r]/

/** Rows as CSV text with a BOM; formula-like cells are neutralized. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const safe = rows.map((row) => row.map((cell) => (FORMULA_START.test(cell) ? `'${cell}` : cell)))
  return `\uFEFF${Papa.unparse({ fields: [...header], data: safe }, { newline: '\r\n', quotes: false })}\r\n`
}
