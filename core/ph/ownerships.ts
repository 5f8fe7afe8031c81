import { and, asc, desc, eq, inArray } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { ownerships, people, units } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import type { ChangeDeps } from '../changes/notifier.ts'
import { AppError } from '../errors.ts'
import { invalidField, notFound } from './errors.ts'
import type { Actor } from './types.ts'
import { isUuid } from './validation.ts'

export interface OwnerInput {
  personId: string
  isRepresentative: boolean
  since?: Date | null
}

/** An owner of a unit with the person's contact details. */
export interface UnitOwner {
  personId: string
  fullName: string
  email: string | null
  phone: string | null
  documentId: string | null
  isRepresentative: boolean
  since: Date | null
}

/** The columns of an owner (ownerships joined with people) as UnitOwner has them, but `since`. */
export const ownerColumns = {
  personId: people.id,
  fullName: people.fullName,
  email: people.email,
  phone: people.phone,
  documentId: people.documentId,
  isRepresentative: ownerships.isRepresentative,
}

/**
 * Replaces the owners of a unit. Co-owners name exactly one representative, who votes for the unit:
 * throws 422 `invalid_representative` unless exactly one owner is the representative (an empty list
 * clears the owners). Throws 404 `not_found` for an unknown unit or person, 422 for a repeated person.
 */
export async function setUnitOwners(
  db: Database,
  input: { organizationId: string; unitId: string; owners: readonly OwnerInput[]; actor: Actor },
  deps: ChangeDeps = {},
): Promise<UnitOwner[]> {
  const { organizationId, unitId, owners } = input
  const personIds = owners.map((owner) => owner.personId)
  if (new Set(personIds).size !== personIds.length)
    throw invalidField('owners', 'lists a person more than once')
  const representatives = owners.filter((owner) => owner.isRepresentative).length
  if (owners.length > 0 && representatives !== 1) {
    throw new AppError(
      422,
      'invalid_representative',
      `Exactly one owner must be the representative (got ${representatives})`,
      { representatives },
    )
  }
  if (!isUuid(unitId)) throw notFound('Unit')
  if (!personIds.every(isUuid)) throw notFound('Person')
  const result = await withTenant(db, organizationId, async (tx) => {
    const [unit] = await tx
      .select({ id: units.id })
      .from(units)
      .where(and(eq(units.organizationId, organizationId), eq(units.id, unitId)))
      .for('update')
    if (!unit) throw notFound('Unit')
    if (personIds.length > 0) {
      const known = await tx
        .select({ id: people.id })
        .from(people)
        .where(and(eq(people.organizationId, organizationId), inArray(people.id, personIds)))
      if (known.length !== personIds.length) throw notFound('Person')
    }
    await tx
      .delete(ownerships)
      .where(and(eq(ownerships.organizationId, organizationId), eq(ownerships.unitId, unitId)))
    if (owners.length > 0) {
      await tx.insert(ownerships).values(
        owners.map((owner) => ({
          organizationId,
          unitId,
          personId: owner.personId,
          isRepresentative: owner.isRepresentative,
          since: owner.since ?? null,
        })),
      )
    }
    return selectUnitOwners(tx, organizationId, unitId)
  })
  await deps.changes?.announce({ organizationId, kinds: ['roster', 'membership'], unitIds: [unitId] })
  return result
}

/** The owners of a unit, representative first. Throws 404 `not_found` for an unknown unit. */
export async function listUnitOwners(
  db: Database,
  input: { organizationId: string; unitId: string },
): Promise<UnitOwner[]> {
  if (!isUuid(input.unitId)) throw notFound('Unit')
  return withTenant(db, input.organizationId, async (tx) => {
    const [unit] = await tx
      .select({ id: units.id })
      .from(units)
      .where(and(eq(units.organizationId, input.organizationId), eq(units.id, input.unitId)))
    if (!unit) throw notFound('Unit')
    return selectUnitOwners(tx, input.organizationId, input.unitId)
  })
}

async function selectUnitOwners(tx: Database, organizationId: string, unitId: string): Promise<UnitOwner[]> {
  return tx
    .select({ ...ownerColumns, since: ownerships.since })
    .from(ownerships)
    .innerJoin(people, eq(people.id, ownerships.personId))
    .where(and(eq(ownerships.organizationId, organizationId), eq(ownerships.unitId, unitId)))
    .orderBy(desc(ownerships.isRepresentative), asc(people.fullName))
}
