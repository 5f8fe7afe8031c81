import { eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { organizations, ownerships, people, units } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { formatCoefficient, parseCoefficient } from '../decimal.ts'
import { notFound } from './errors.ts'
import { ownerColumns } from './ownerships.ts'
import type { RosterPage, RosterUnit } from './schemas.ts'
import { compareUnitNumbers, foldText, unitNumberKey } from './validation.ts'

/** Owners' names in Spanish order, accents and case aside. */
const collator = new Intl.Collator('es', { numeric: true, sensitivity: 'base' })

/** A unit as the roster pages show it (owners representative first), and one page of them. */
export type { RosterPage, RosterUnit }

/** Every unit of a PH (id, number, finca, coefficient, up to date), in no order. */
export function selectUnits(tx: Database, organizationId: string) {
  return tx
    .select({
      id: units.id,
      number: units.number,
      finca: units.finca,
      coefficient: units.coefficient,
      upToDate: units.upToDate,
    })
    .from(units)
    .where(eq(units.organizationId, organizationId))
}

/**
 * One page of the roster in natural order. `search` matches part of the unit number, an owner's name
 * (accents and case ignored) or an owner's cédula; `after` is the number the previous page ended on.
 * Throws 404 `not_found` for an unknown PH.
 */
export async function listRoster(
  db: Database,
  input: { organizationId: string; search?: string; after?: string; limit: number },
): Promise<RosterPage> {
  const { organizationId } = input
  return withTenant(db, organizationId, async (tx) => {
    const [organization] = await tx
      .select({ id: organizations.id })
      .from(organizations)
      .where(eq(organizations.id, organizationId))
    if (!organization) throw notFound('Organization')
    const unitRows = await selectUnits(tx, organizationId)
    const ownerRows = await tx
      .select({ unitId: ownerships.unitId, ...ownerColumns })
      .from(ownerships)
      .innerJoin(people, eq(people.id, ownerships.personId))
      .where(eq(ownerships.organizationId, organizationId))
    const ownersOf = new Map<string, RosterUnit['owners']>()
    for (const { unitId, ...owner } of ownerRows) {
      const list = ownersOf.get(unitId) ?? []
      list.push(owner)
      ownersOf.set(unitId, list)
    }
    const all: RosterUnit[] = unitRows.map((unit) => ({
      ...unit,
      owners: (ownersOf.get(unit.id) ?? []).sort(
        (a, b) =>
          Number(b.isRepresentative) - Number(a.isRepresentative) || collator.compare(a.fullName, b.fullName),
      ),
    }))
    all.sort((a, b) => compareUnitNumbers(a.number, b.number))
    const totalCoefficient = all.reduce((sum, unit) => sum + parseCoefficient(unit.coefficient), 0n)
    const matching = input.search?.trim() ? all.filter(matcher(input.search)) : all
    let start = 0
    if (input.after !== undefined) {
      const after = input.after
      const index = matching.findIndex((unit) => compareUnitNumbers(unit.number, after) > 0)
      start = index === -1 ? matching.length : index
    }
    const page = matching.slice(start, start + input.limit)
    const more = start + input.limit < matching.length
    return {
      units: page,
      total: all.length,
      matching: matching.length,
      totalCoefficient: formatCoefficient(totalCoefficient),
      next: more ? (page.at(-1)?.number ?? null) : null,
    }
  })
}

function matcher(search: string): (unit: RosterUnit) => boolean {
  const numberTerm = unitNumberKey(search)
  const textTerm = foldText(search)
  const idTerm = search.replace(/[\s-]/g, '').toUpperCase()
  return (unit) =>
    unitNumberKey(unit.number).includes(numberTerm) ||
    unit.owners.some(
      (owner) =>
        foldText(owner.fullName).includes(textTerm) ||
        (owner.documentId !== null &&
          idTerm !== '' &&
          owner.documentId.replace(/[\s-]/g, '').toUpperCase().includes(idTerm)),
    )
}
