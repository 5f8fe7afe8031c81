import { eq, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { organizations, ownerships, people, units } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { formatCoefficient, parseCoefficient } from '../decimal.ts'
import { AppError } from '../errors.ts'
import { type ImportError, parseRosterCsv } from './csv-parse.ts'
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

export type { ImportError, ImportErrorCode } from './csv-parse.ts'
export type { CreatedUnit, FieldChange, UpdatedUnit } from './csv-plan.ts'

export interface ImportUnitsInput {
  organizationId: string
  /** The file's text (decode the upload as UTF-8; a BOM is fine). */
  csv: string
  /** Report what would change without writing anything. */
  dryRun?: boolean
  actor: Actor
}

/** What an import did (or, in a dry run, would do). */
export interface ImportReport extends Omit<ImportPlan, 'writes'> {
  dryRun: boolean
  /** True when the changes were written. */
  applied: boolean
  errors: ImportError[]
  /** Units and coefficient sum in the file. */
  totals: { units: number; coefficient: string }
  /** Units and coefficient sum of the whole PH after the import (missing units are kept). */
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
export async function importUnits(db: Database, input: ImportUnitsInput): Promise<ImportReport> {
  const { organizationId, dryRun = false } = input
  const roster = parseRosterCsv(input.csv)
  return withTenant(db, organizationId, async (tx) => {
    // Serializes imports of one PH: two at once would each plan against a state the other changes.
    const [organization] = await tx
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.id, organizationId))
      .for(dryRun ? 'share' : 'no key update')
    if (!organization) throw notFound('Organization')
    const state = await loadRosterState(tx, organizationId)
    const plan = planImport(roster, state)
    const report = buildReport(plan, roster, state, dryRun)
    if (roster.errors.length > 0 && !dryRun) {
      const first = roster.errors[0]!
      const where =
        first.line === null ? '' : ` (line ${first.line}${first.column ? `, ${first.column}` : ''})`
      throw new AppError(
        422,
        'import_invalid',
        `The file has ${roster.errors.length} error(s); nothing was imported. First: ${first.message}${where}`,
        report,
      )
    }
    if (dryRun) return report
    await applyPlan(tx, organizationId, plan)
    return { ...report, applied: true }
  })
}

async function loadRosterState(tx: Database, organizationId: string): Promise<RosterState> {
  const [unitRows, personRows, ownershipRows] = [
    await tx
      .select({
        id: units.id,
        number: units.number,
        finca: units.finca,
        coefficient: units.coefficient,
        upToDate: units.upToDate,
      })
      .from(units)
      .where(eq(units.organizationId, organizationId)),
    await tx
      .select({ id: people.id, fullName: people.fullName, email: people.email, phone: people.phone })
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
): ImportReport {
  const { writes: _writes, ...changes } = plan
  const missingTotal = plan.missing.reduce((sum, unit) => sum + parseCoefficient(unit.coefficient), 0n)
  return {
    dryRun,
    applied: false,
    ...changes,
    errors: roster.errors,
    totals: { units: roster.rowCount, coefficient: formatCoefficient(roster.total) },
    after:
      roster.errors.length > 0
        ? { units: state.units.length, coefficient: formatCoefficient(sumStored(state.units)) }
        : {
            units: roster.rowCount + plan.missing.length,
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
}

/*
 * Each statement below writes a whole chunk and sends one array parameter per column (unnest), so a
 * 5,000-unit roster takes a handful of round trips and no per-row query building.
 */

async function insertPeople(tx: Database, organizationId: string, batch: readonly StoredPerson[]) {
  await tx.execute(sql`
    insert into ${people} (id, organization_id, full_name, email, phone)
    select v.id, ${organizationId}::uuid, v.full_name, v.email, v.phone
    from unnest(${textArray(batch.map((person) => person.id))}::uuid[],
      ${textArray(batch.map((person) => person.fullName))}::text[],
      ${textArray(batch.map((person) => person.email))}::text[],
      ${textArray(batch.map((person) => person.phone))}::text[]) as v(id, full_name, email, phone)`)
}

async function updatePeople(tx: Database, organizationId: string, batch: readonly StoredPerson[]) {
  await tx.execute(sql`
    update ${people} set full_name = v.full_name, phone = v.phone, updated_at = now()
    from unnest(${textArray(batch.map((person) => person.id))}::uuid[],
      ${textArray(batch.map((person) => person.fullName))}::text[],
      ${textArray(batch.map((person) => person.phone))}::text[]) as v(id, full_name, phone)
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
