import { and, eq, inArray, sql } from 'drizzle-orm'
import { type Database, rowsOf } from '../../db/client.ts'
import {
  attendance,
  organizations,
  ownerships,
  people,
  proxies,
  units,
  votes,
} from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { appendAudit } from '../auth/audit.ts'
import type { ChangeDeps } from '../changes/notifier.ts'
import { formatCoefficient, parseCoefficient } from '../decimal.ts'
import { AppError } from '../errors.ts'
import { validateCoefficients } from '../rules/coefficients.ts'
import { type ImportError, type ImportMode, type ParsedRoster, parseRosterCsv } from './csv-parse.ts'
import {
  type ImportPlan,
  planImport,
  type RosterState,
  type StoredPerson,
  type StoredUnit,
} from './csv-plan.ts'
import { notFound } from './errors.ts'
import { textArray } from './sql-arrays.ts'
import type { Actor } from './types.ts'
import { selectUnits } from './unit-list.ts'

export type { ImportError, ImportErrorCode, ImportMode } from './csv-parse.ts'
export type { CreatedUnit, FieldChange, UpdatedUnit } from './csv-plan.ts'

export interface ImportUnitsInput {
  organizationId: string
  /** The file's text (decode the upload as UTF-8; a BOM is fine). */
  csv: string
  /** Report what would change without writing anything. */
  dryRun?: boolean
  /** `replace`: the file is the whole roster; `update` (default): it changes or adds some units. */
  mode?: ImportMode
  actor: Actor
}

/** What an import did (or, in a dry run, would do). */
export interface ImportReport extends Omit<ImportPlan, 'writes'> {
  dryRun: boolean
  mode: ImportMode
  /** Units the file leaves out that a `replace` import deletes (none in `update` mode). */
  removed: Array<{ unitId: string; number: string; coefficient: string }>
  /** True when the changes were written. */
  applied: boolean
  errors: ImportError[]
  /** Units and coefficient sum in the file. */
  totals: { units: number; coefficient: string }
  /** Units and coefficient sum of the whole PH after the import. */
  after: { units: number; coefficient: string }
}

// Rows per statement: keeps each array parameter a few hundred kilobytes at most.
const CHUNK = 5000

/**
 * Imports the PH's roster (units and their owners) from CSV, all or nothing, in one transaction.
 * The file is the full roster: units are created or updated by number, owners matched by email (else
 * by name) or created and made each unit's representative; units absent from the file are reported
 * in `missing` and kept. With `dryRun` nothing is written and errors are returned in the report.
 * Otherwise a file with errors throws 422 `import_invalid` (details: the report, with every error's
 * line and column) and nothing changes. Throws 404 `not_found` for an unknown PH.
 */
export async function importUnits(
  db: Database,
  input: ImportUnitsInput,
  deps: ChangeDeps = {},
): Promise<ImportReport> {
  const { organizationId, dryRun = false, mode = 'update' } = input
  const roster = parseRosterCsv(input.csv, mode)
  const result = await withTenant(db, organizationId, async (tx) => {
    // Serializes imports of one PH: two at once would each plan against a state the other changes.
    const [organization] = await tx
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.id, organizationId))
      .for(dryRun ? 'share' : 'no key update')
    if (!organization) throw notFound('Organization')
    const state = await loadRosterState(tx, organizationId)
    const plan = planImport(roster, state)
    const report = buildReport(plan, roster, state, dryRun, mode)
    // After the report, so its `after` shows the sum the PH would have (the error is about that sum).
    if (roster.errors.length === 0)
      report.errors.push(...(await wholeRosterErrors(tx, organizationId, plan, roster, mode)))
    if (report.errors.length > 0 && !dryRun) {
      const first = report.errors[0]!
      const where =
        first.line === null ? '' : ` (line ${first.line}${first.column ? `, ${first.column}` : ''})`
      throw new AppError(
        422,
        'import_invalid',
        `The file has ${report.errors.length} error(s); nothing was imported. First: ${first.message}${where}`,
        report,
      )
    }
    if (dryRun) return report
    await applyPlan(tx, organizationId, plan)
    if (report.removed.length > 0) {
      await tx.delete(units).where(
        and(
          eq(units.organizationId, organizationId),
          inArray(
            units.id,
            report.removed.map((unit) => unit.unitId),
          ),
        ),
      )
    }
    await appendAudit(tx, {
      action: 'roster.import',
      organizationId,
      actorUserId: input.actor.userId,
      data: {
        mode,
        created: report.created.length,
        updated: report.updated.length,
        removed: report.removed.map((unit) => unit.number),
        after: report.after,
      },
    })
    return { ...report, applied: true }
  })
  if (result.applied) await deps.changes?.announce({ organizationId, kinds: ['roster', 'membership'] })
  return result
}

/**
 * What only the whole PH can tell: a `replace` file may not leave out a unit with votes, attendance
 * or proxies (the acta keeps it); an `update` file must leave the PH summing to 100 %.
 */
async function wholeRosterErrors(
  tx: Database,
  organizationId: string,
  plan: ImportPlan,
  roster: ParsedRoster,
  mode: ImportMode,
): Promise<ImportError[]> {
  if (mode === 'replace') {
    if (plan.missing.length === 0) return []
    const used = await unitsWithHistory(
      tx,
      organizationId,
      plan.missing.map((unit) => unit.unitId),
    )
    return plan.missing
      .filter((unit) => used.has(unit.unitId))
      .map((unit) => ({
        line: null,
        column: roster.columns.number ?? null,
        code: 'unit_in_use' as const,
        value: unit.number,
        message: `Unit ${unit.number} is not in the file but has votes, attendance or proxies, so it cannot be removed; add it to the file`,
      }))
  }
  const after =
    roster.total + plan.missing.reduce((sum, unit) => sum + parseCoefficient(unit.coefficient), 0n)
  const validation = validateCoefficients([{ number: 'PH', coefficient: after }])
  if (validation.ok) return []
  return [
    {
      line: null,
      column: roster.columns.coefficient ?? null,
      code: 'sum_after_mismatch',
      value: formatCoefficient(after),
      message: `After this update the PH would sum to ${formatCoefficient(after)} %, not 100 %; adjust the coefficients in the file (or replace the whole roster)`,
    },
  ]
}

async function unitsWithHistory(
  tx: Database,
  organizationId: string,
  unitIds: string[],
): Promise<Set<string>> {
  const rows = await tx.execute(sql`
    select unit_id from ${votes} where organization_id = ${organizationId} and unit_id = any(${textArray(unitIds)}::uuid[])
    union select unit_id from ${attendance} where organization_id = ${organizationId} and unit_id = any(${textArray(unitIds)}::uuid[])
    union select grantor_unit_id from ${proxies} where organization_id = ${organizationId} and grantor_unit_id = any(${textArray(unitIds)}::uuid[])`)
  return new Set(rowsOf<{ unit_id: string }>(rows).map((row) => row.unit_id))
}

async function loadRosterState(tx: Database, organizationId: string): Promise<RosterState> {
  const [unitRows, personRows, ownershipRows] = [
    await selectUnits(tx, organizationId),
    await tx
      .select({
        id: people.id,
        fullName: people.fullName,
        email: people.email,
        phone: people.phone,
        documentId: people.documentId,
      })
      .from(people)
      .where(eq(people.organizationId, organizationId))
      .orderBy(people.createdAt, people.id),
    await tx
      .select({
        unitId: ownerships.unitId,
        personId: ownerships.personId,
        isRepresentative: ownerships.isRepresentative,
      })
      .from(ownerships)
      .where(eq(ownerships.organizationId, organizationId)),
  ]
  return { units: unitRows, people: personRows, ownerships: ownershipRows }
}

function buildReport(
  plan: ImportPlan,
  roster: ReturnType<typeof parseRosterCsv>,
  state: RosterState,
  dryRun: boolean,
  mode: ImportMode,
): ImportReport {
  const { writes: _writes, ...changes } = plan
  const kept = mode === 'replace' ? [] : plan.missing
  const missingTotal = kept.reduce((sum, unit) => sum + parseCoefficient(unit.coefficient), 0n)
  return {
    dryRun,
    mode,
    applied: false,
    ...changes,
    missing: kept,
    removed: mode === 'replace' ? plan.missing : [],
    errors: roster.errors,
    totals: { units: roster.rowCount, coefficient: formatCoefficient(roster.total) },
    after:
      roster.errors.length > 0
        ? { units: state.units.length, coefficient: formatCoefficient(sumStored(state.units)) }
        : {
            units: roster.rowCount + kept.length,
            coefficient: formatCoefficient(roster.total + missingTotal),
          },
  }
}

function sumStored(stored: readonly StoredUnit[]): bigint {
  return stored.reduce((sum, unit) => sum + parseCoefficient(unit.coefficient), 0n)
}

async function applyPlan(tx: Database, organizationId: string, plan: ImportPlan): Promise<void> {
  const { writes } = plan
  for (const batch of chunks(writes.newPeople)) await insertPeople(tx, organizationId, batch)
  for (const batch of chunks(writes.changedPeople)) await updatePeople(tx, organizationId, batch)
  for (const batch of chunks(writes.changedUnits)) await updateUnits(tx, organizationId, batch)
  for (const batch of chunks(writes.newUnits)) await insertUnits(tx, organizationId, batch)
  for (const batch of chunks(writes.replacedOwners)) await replaceOwners(tx, organizationId, batch)
  for (const batch of chunks(writes.newRepresentatives)) await setRepresentatives(tx, organizationId, batch)
  for (const batch of chunks(writes.ownerSets)) await setOwnerSets(tx, organizationId, batch)
}

async function setOwnerSets(tx: Database, organizationId: string, batch: ImportPlan['writes']['ownerSets']) {
  const flat = batch.flatMap((set) => set.owners.map((owner) => ({ unitId: set.unitId, ...owner })))
  await tx.execute(sql`
    delete from ${ownerships} where ${ownerships.organizationId} = ${organizationId}
      and ${ownerships.unitId} = any(${textArray(batch.map((set) => set.unitId))}::uuid[])`)
  await tx.execute(sql`
    insert into ${ownerships} (organization_id, unit_id, person_id, is_representative)
    select ${organizationId}::uuid, v.unit_id, v.person_id, v.is_representative
    from unnest(${textArray(flat.map((owner) => owner.unitId))}::uuid[],
      ${textArray(flat.map((owner) => owner.personId))}::uuid[],
      ${textArray(flat.map((owner) => String(owner.isRepresentative)))}::boolean[]) as v(unit_id, person_id, is_representative)`)
}

/*
 * Each statement below writes a whole chunk and sends one array parameter per column (unnest), so a
 * 5,000-unit roster takes a handful of round trips and no per-row query building.
 */

async function insertPeople(tx: Database, organizationId: string, batch: readonly StoredPerson[]) {
  await tx.execute(sql`
    insert into ${people} (id, organization_id, full_name, email, phone, document_id)
    select v.id, ${organizationId}::uuid, v.full_name, v.email, v.phone, v.document_id
    from unnest(${textArray(batch.map((person) => person.id))}::uuid[],
      ${textArray(batch.map((person) => person.fullName))}::text[],
      ${textArray(batch.map((person) => person.email))}::text[],
      ${textArray(batch.map((person) => person.phone))}::text[],
      ${textArray(batch.map((person) => person.documentId))}::text[]) as v(id, full_name, email, phone, document_id)`)
}

async function updatePeople(tx: Database, organizationId: string, batch: readonly StoredPerson[]) {
  await tx.execute(sql`
    update ${people} set full_name = v.full_name, phone = v.phone, email = v.email,
      document_id = v.document_id, updated_at = now()
    from unnest(${textArray(batch.map((person) => person.id))}::uuid[],
      ${textArray(batch.map((person) => person.fullName))}::text[],
      ${textArray(batch.map((person) => person.phone))}::text[],
      ${textArray(batch.map((person) => person.email))}::text[],
      ${textArray(batch.map((person) => person.documentId))}::text[]) as v(id, full_name, phone, email, document_id)
    where ${people.id} = v.id and ${people.organizationId} = ${organizationId}`)
}

function unitColumns(batch: readonly StoredUnit[]) {
  return sql`unnest(${textArray(batch.map((unit) => unit.id))}::uuid[],
    ${textArray(batch.map((unit) => unit.number))}::text[],
    ${textArray(batch.map((unit) => unit.finca))}::text[],
    ${textArray(batch.map((unit) => unit.coefficient))}::numeric[],
    ${textArray(batch.map((unit) => String(unit.upToDate)))}::boolean[]) as v(id, number, finca, coefficient, up_to_date)`
}

async function insertUnits(tx: Database, organizationId: string, batch: readonly StoredUnit[]) {
  await tx.execute(sql`
    insert into ${units} (id, organization_id, number, finca, coefficient, up_to_date)
    select v.id, ${organizationId}::uuid, v.number, v.finca, v.coefficient, v.up_to_date from ${unitColumns(batch)}`)
}

async function updateUnits(tx: Database, organizationId: string, batch: readonly StoredUnit[]) {
  await tx.execute(sql`
    update ${units} set number = v.number, finca = v.finca, coefficient = v.coefficient,
      up_to_date = v.up_to_date, updated_at = now()
    from ${unitColumns(batch)}
    where ${units.id} = v.id and ${units.organizationId} = ${organizationId}`)
}

type UnitOwnerPair = { unitId: string; personId: string }

function ownerColumns(batch: readonly UnitOwnerPair[]) {
  return sql`unnest(${textArray(batch.map((owner) => owner.unitId))}::uuid[],
    ${textArray(batch.map((owner) => owner.personId))}::uuid[]) as v(unit_id, person_id)`
}

async function replaceOwners(tx: Database, organizationId: string, batch: readonly UnitOwnerPair[]) {
  await tx.execute(sql`
    delete from ${ownerships} using ${ownerColumns(batch)}
    where ${ownerships.unitId} = v.unit_id and ${ownerships.organizationId} = ${organizationId}`)
  await tx.execute(sql`
    insert into ${ownerships} (organization_id, unit_id, person_id, is_representative)
    select ${organizationId}::uuid, v.unit_id, v.person_id, true from ${ownerColumns(batch)}`)
}

async function setRepresentatives(tx: Database, organizationId: string, batch: readonly UnitOwnerPair[]) {
  await tx.execute(sql`
    update ${ownerships} set is_representative = (${ownerships.personId} = v.person_id)
    from ${ownerColumns(batch)}
    where ${ownerships.unitId} = v.unit_id and ${ownerships.organizationId} = ${organizationId}`)
}

function* chunks<T>(items: readonly T[], size = CHUNK): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size)
}
