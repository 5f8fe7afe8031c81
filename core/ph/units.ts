import { and, asc, count, eq, inArray, ne, or, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { attendance, proxies, units, votes } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { appendAudit } from '../auth/audit.ts'
import type { ChangeDeps } from '../changes/notifier.ts'
import { DecimalError, formatCoefficient, parseCoefficient } from '../decimal.ts'
import { AppError } from '../errors.ts'
import { type CoefficientError, validateCoefficients } from '../rules/coefficients.ts'
import { alreadyExists, invalidField, isForeignKeyViolation, isUniqueViolation, notFound } from './errors.ts'
import { textArray } from './sql-arrays.ts'
import type { Actor, Unit } from './types.ts'
import { isUuid, optionalText, requireText, unitNumberKey } from './validation.ts'

export interface UnitInput {
  number: string
  finca?: string | null
  /** Percent of the whole as text, decimal point or comma: '0.833333333', '8,5'. */
  coefficient: string
  /** Al día / paz y salvo; default true. */
  upToDate?: boolean
}

export type UnitChanges = Partial<UnitInput>

type UnitValues = { number?: string; finca?: string | null; coefficient?: string; upToDate?: boolean }

/** Parses a coefficient for storage ('8,5' → '8.500000000'); throws 422 unless it is a positive decimal. */
export function coefficientText(field: string, text: string): string {
  let value: bigint
  try {
    value = parseCoefficient(text)
  } catch (error) {
    if (error instanceof DecimalError) throw invalidField(field, error.message)
    throw error
  }
  if (value === 0n) throw invalidField(field, 'must be greater than zero')
  return formatCoefficient(value)
}

/**
 * Creates a unit. Throws 422 `validation_failed` and 409 `already_exists` (field 'number') when the
 * number is taken in the PH ('1a' and '1A' count as the same number).
 */
export async function createUnit(
  db: Database,
  input: { organizationId: string; unit: UnitInput; actor: Actor },
  deps: ChangeDeps = {},
): Promise<Unit> {
  const values = validateUnit(input.unit, true)
  const { organizationId } = input
  const result = await withTenant(db, organizationId, async (tx) => {
    await assertNumberFree(tx, organizationId, values.number!, null)
    try {
      const [created] = await tx
        .insert(units)
        .values({ organizationId, number: values.number!, coefficient: values.coefficient!, ...values })
        .returning()
      return created!
    } catch (error) {
      throw translateUniqueNumber(error, values.number)
    }
  })
  await deps.changes?.announce({ organizationId, kinds: ['roster'], unitIds: [result.id] })
  return result
}

/** The unit, or null. */
export async function getUnit(
  db: Database,
  input: { organizationId: string; unitId: string },
): Promise<Unit | null> {
  if (!isUuid(input.unitId)) return null
  return withTenant(db, input.organizationId, async (tx) => {
    const [row] = await tx
      .select()
      .from(units)
      .where(and(eq(units.organizationId, input.organizationId), eq(units.id, input.unitId)))
    return row ?? null
  })
}

/** Every unit of the PH ordered by number. */
export async function listUnits(db: Database, input: { organizationId: string }): Promise<Unit[]> {
  return withTenant(db, input.organizationId, (tx) =>
    tx.select().from(units).where(eq(units.organizationId, input.organizationId)).orderBy(asc(units.number)),
  )
}

/** Count of units, their total, and whether it is 100 % (within the default tolerance); JSON-safe. */
export async function summarizeCoefficients(
  db: Database,
  input: { organizationId: string },
): Promise<{
  units: number
  total: string
  difference: string
  ok: boolean
  errors: CoefficientError[]
}> {
  const rows = await listUnits(db, input)
  const validation = validateCoefficients(
    rows.map((row) => ({ number: row.number, coefficient: parseCoefficient(row.coefficient) })),
  )
  return {
    units: rows.length,
    total: formatCoefficient(validation.total),
    difference: formatCoefficient(validation.difference),
    ok: validation.ok,
    errors: validation.ok ? [] : validation.errors,
  }
}

/**
 * Changes the given fields of a unit. Throws 404 `not_found`, 422 `validation_failed`,
 * 409 `already_exists` (field 'number').
 */
export async function updateUnit(
  db: Database,
  input: { organizationId: string; unitId: string; changes: UnitChanges; actor: Actor },
  deps: ChangeDeps = {},
): Promise<Unit> {
  const values = validateUnit(input.changes, false)
  const { organizationId, unitId } = input
  if (!isUuid(unitId)) throw notFound('Unit')
  const result = await withTenant(db, organizationId, async (tx) => {
    const scope = and(eq(units.organizationId, organizationId), eq(units.id, unitId))
    const [existing] = await tx.select().from(units).where(scope)
    if (!existing) throw notFound('Unit')
    if (Object.keys(values).length === 0) return existing
    if (values.number !== undefined) await assertNumberFree(tx, organizationId, values.number, unitId)
    try {
      const [updated] = await tx.update(units).set(values).where(scope).returning()
      if (values.upToDate !== undefined && values.upToDate !== existing.upToDate)
        await auditUpToDate(tx, organizationId, input.actor, values.upToDate, [existing], null)
      return updated!
    } catch (error) {
      throw translateUniqueNumber(error, values.number)
    }
  })
  await deps.changes?.announce({ organizationId, kinds: ['roster'], unitIds: [unitId] })
  return result
}

/**
 * Deletes a unit that never took part in an assembly. Throws 404 `not_found`, and 409 `unit_in_use`
 * when it has votes, attendance or proxies (they are part of an acta and must keep their unit).
 */
export async function deleteUnit(
  db: Database,
  input: { organizationId: string; unitId: string; actor: Actor },
  deps: ChangeDeps = {},
): Promise<void> {
  const { organizationId, unitId } = input
  if (!isUuid(unitId)) throw notFound('Unit')
  await withTenant(db, organizationId, async (tx) => {
    const scope = and(eq(units.organizationId, organizationId), eq(units.id, unitId))
    const [existing] = await tx
      .select({ id: units.id, number: units.number })
      .from(units)
      .where(scope)
      .for('update')
    if (!existing) throw notFound('Unit')
    const usage = await unitUsage(tx, organizationId, unitId)
    if (usage.votes + usage.attendance + usage.proxies > 0) {
      throw new AppError(
        409,
        'unit_in_use',
        `Unit ${existing.number} has votes, attendance or proxies and cannot be deleted`,
        usage,
      )
    }
    try {
      await tx.delete(units).where(scope)
    } catch (error) {
      if (isForeignKeyViolation(error)) {
        throw new AppError(409, 'unit_in_use', `Unit ${existing.number} is still referenced`, usage)
      }
      throw error
    }
  })
  // Its owners may lose their owner role with it.
  await deps.changes?.announce({ organizationId, kinds: ['roster', 'membership'], unitIds: [unitId] })
}

/**
 * Sets the up-to-date flag of many units at once, named by id or by number. All or nothing: throws
 * 422 `unknown_units` (details.unknown lists them) when any reference matches no unit.
 * Returns how many units matched and which of them actually changed.
 */
export async function setUnitsUpToDate(
  db: Database,
  input: {
    organizationId: string
    units: readonly string[]
    upToDate: boolean
    actor: Actor
    /** Why, for the audit log (e.g. 'paid at the desk'). */
    reason?: string | null
    /** Set every unit not named to the opposite flag (a list of units in arrears: all others are up to date). */
    othersOpposite?: boolean
  },
  deps: ChangeDeps = {},
): Promise<{ matched: number; changed: Array<{ id: string; number: string }> }> {
  const { organizationId, upToDate } = input
  const references = [...new Set(input.units.map((reference) => reference.trim()).filter(Boolean))]
  if (references.length === 0) throw invalidField('units', 'must name at least one unit')
  const ids = references.filter((reference) => isUuid(reference))
  const numberKeys = references.map(unitNumberKey)
  const changedOthers: Array<{ id: string; number: string }> = []
  const result = await withTenant(db, organizationId, async (tx) => {
    const matches = await tx
      .select({ id: units.id, number: units.number, upToDate: units.upToDate })
      .from(units)
      .where(
        and(
          eq(units.organizationId, organizationId),
          or(
            ids.length > 0 ? inArray(units.id, ids) : undefined,
            inArray(sql`upper(${units.number})`, numberKeys),
          ),
        ),
      )
    const found = new Set(matches.flatMap((unit) => [unit.id.toLowerCase(), unitNumberKey(unit.number)]))
    const unknown = references.filter(
      (reference) => !found.has(reference.toLowerCase()) && !found.has(unitNumberKey(reference)),
    )
    if (unknown.length > 0) {
      throw new AppError(422, 'unknown_units', `No unit matches ${unknown.join(', ')}`, { unknown })
    }
    if (input.othersOpposite) {
      const named = matches.map((unit) => unit.id)
      const others = await tx
        .update(units)
        .set({ upToDate: !upToDate })
        .where(
          and(
            eq(units.organizationId, organizationId),
            ne(units.upToDate, !upToDate),
            sql`${units.id} <> all(${textArray(named)}::uuid[])`,
          ),
        )
        .returning({ id: units.id, number: units.number })
      if (others.length > 0)
        await auditUpToDate(tx, organizationId, input.actor, !upToDate, others, input.reason ?? null)
      changedOthers.push(...others)
    }
    const changing = matches.filter((unit) => unit.upToDate !== upToDate)
    if (changing.length > 0) {
      await tx
        .update(units)
        .set({ upToDate })
        .where(
          and(
            eq(units.organizationId, organizationId),
            inArray(
              units.id,
              changing.map((unit) => unit.id),
            ),
          ),
        )
      await auditUpToDate(tx, organizationId, input.actor, upToDate, changing, input.reason ?? null)
    }
    return {
      matched: matches.length,
      changed: [...changing.map(({ id, number }) => ({ id, number })), ...changedOthers],
    }
  })
  if (result.changed.length > 0) {
    const unitIds = result.changed.map((unit) => unit.id)
    await deps.changes?.announce({ organizationId, kinds: ['roster'], unitIds })
  }
  return result
}

/** Who changed whose up-to-date flag and when: the audit log keeps it (action `unit.up_to_date`). */
async function auditUpToDate(
  tx: Database,
  organizationId: string,
  actor: Actor,
  upToDate: boolean,
  changed: ReadonlyArray<{ id: string; number: string }>,
  reason: string | null,
): Promise<void> {
  await appendAudit(tx, {
    action: 'unit.up_to_date',
    organizationId,
    actorUserId: actor.userId,
    subject: changed.length === 1 ? changed[0]!.id : null,
    data: { upToDate, units: changed.map((unit) => unit.number), reason },
  })
}

async function unitUsage(tx: Database, organizationId: string, unitId: string) {
  const [voteCount] = await tx
    .select({ n: count() })
    .from(votes)
    .where(and(eq(votes.organizationId, organizationId), eq(votes.unitId, unitId)))
  const [attendanceCount] = await tx
    .select({ n: count() })
    .from(attendance)
    .where(and(eq(attendance.organizationId, organizationId), eq(attendance.unitId, unitId)))
  const [proxyCount] = await tx
    .select({ n: count() })
    .from(proxies)
    .where(and(eq(proxies.organizationId, organizationId), eq(proxies.grantorUnitId, unitId)))
  return { votes: voteCount?.n ?? 0, attendance: attendanceCount?.n ?? 0, proxies: proxyCount?.n ?? 0 }
}

async function assertNumberFree(
  tx: Database,
  organizationId: string,
  number: string,
  exceptId: string | null,
) {
  const [clash] = await tx
    .select({ id: units.id })
    .from(units)
    .where(
      and(
        eq(units.organizationId, organizationId),
        eq(sql`upper(${units.number})`, unitNumberKey(number)),
        exceptId ? ne(units.id, exceptId) : undefined,
      ),
    )
  if (clash) throw alreadyExists('number', `A unit numbered ${number} already exists`)
}

function translateUniqueNumber(error: unknown, number: string | undefined): unknown {
  if (isUniqueViolation(error)) return alreadyExists('number', `A unit numbered ${number} already exists`)
  return error
}

function validateUnit(input: UnitChanges, creating: boolean): UnitValues {
  const values: UnitValues = {}
  if (creating || input.number !== undefined) values.number = requireText('number', input.number, 32)
  const finca = optionalText('finca', input.finca, 60)
  if (finca !== undefined) values.finca = finca
  if (creating || input.coefficient !== undefined) {
    if (typeof input.coefficient !== 'string') throw invalidField('coefficient', 'is required')
    values.coefficient = coefficientText('coefficient', input.coefficient)
  }
  if (input.upToDate !== undefined) {
    if (typeof input.upToDate !== 'boolean') throw invalidField('upToDate', 'must be true or false')
    values.upToDate = input.upToDate
  }
  return values
}
