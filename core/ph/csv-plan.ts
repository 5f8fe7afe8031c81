import { formatCoefficient, parseCoefficient } from '../decimal.ts'
import { documentKey, ownerKey, type ParsedRoster, type RosterRow } from './csv-parse.ts'
import { personNameKey, unitNumberKey } from './validation.ts'

/** A unit as it is stored, as far as the import is concerned. */
export interface StoredUnit {
  id: string
  number: string
  finca: string | null
  coefficient: string
  upToDate: boolean
}

export interface StoredPerson {
  id: string
  fullName: string
  email: string | null
  phone: string | null
  documentId: string | null
}

export interface StoredOwnership {
  unitId: string
  personId: string
  isRepresentative: boolean
}

/** What the PH holds before the import. */
export interface RosterState {
  units: readonly StoredUnit[]
  people: readonly StoredPerson[]
  ownerships: readonly StoredOwnership[]
}

export type ChangedField =
  | 'number'
  | 'finca'
  | 'coefficient'
  | 'upToDate'
  | 'owner'
  | 'coOwners'
  | 'fullName'
  | 'phone'
  | 'email'
  | 'documentId'

export interface FieldChange {
  field: ChangedField
  from: string | boolean | null
  to: string | boolean | null
}

export interface CreatedUnit {
  line: number
  number: string
  finca: string | null
  coefficient: string
  upToDate: boolean
  owner: string
  coOwners: string[]
}

export interface UpdatedUnit {
  line: number
  unitId: string
  number: string
  changes: FieldChange[]
}

/** The changes an import makes, and the rows to write for them. */
export interface ImportPlan {
  created: CreatedUnit[]
  updated: UpdatedUnit[]
  unchanged: Array<{ line: number; unitId: string; number: string }>
  /** Units of the PH the file does not mention; they are kept, not deleted. */
  missing: Array<{ unitId: string; number: string; coefficient: string }>
  people: {
    created: Array<{ fullName: string; email: string | null }>
    updated: Array<{ personId: string; fullName: string; changes: FieldChange[] }>
  }
  writes: {
    newPeople: StoredPerson[]
    changedPeople: StoredPerson[]
    newUnits: StoredUnit[]
    changedUnits: StoredUnit[]
    /** The unit changed hands: its owners are replaced by this one representative. */
    replacedOwners: Array<{ unitId: string; personId: string }>
    /** The person already owns the unit and becomes its representative; co-owners stay. */
    newRepresentatives: Array<{ unitId: string; personId: string }>
    /** The file names every owner of the unit (co-owners column): exactly these, representative first. */
    ownerSets: Array<{ unitId: string; owners: Array<{ personId: string; isRepresentative: boolean }> }>
  }
}

/**
 * Compares a validated roster with what the PH holds and decides every change: units created or
 * updated (matched by number, '1a' = '1A'), owners matched by email (else by name) or created, and the
 * file's owner made the unit's representative. Pure; `newId` gives ids to rows that will be inserted.
 */
export function planImport(
  roster: Pick<ParsedRoster, 'rows' | 'numbers'>,
  state: RosterState,
  newId: () => string = () => crypto.randomUUID(),
): ImportPlan {
  const unitsByKey = new Map(state.units.map((unit) => [unitNumberKey(unit.number), unit]))
  const owners = new OwnerResolver(state, newId)
  const plan: ImportPlan = {
    created: [],
    updated: [],
    unchanged: [],
    missing: [],
    people: { created: [], updated: [] },
    writes: {
      newPeople: [],
      changedPeople: [],
      newUnits: [],
      changedUnits: [],
      replacedOwners: [],
      newRepresentatives: [],
      ownerSets: [],
    },
  }

  for (const row of roster.rows) {
    const existing = unitsByKey.get(unitNumberKey(row.number))
    const person = owners.resolve(row, existing?.id ?? null)
    const coOwners = row.coOwners?.map((coOwner) =>
      owners.resolve(
        { ownerName: coOwner.fullName, email: coOwner.email, documentId: undefined, phone: null },
        existing?.id ?? null,
      ),
    )
    const ownerSet = coOwners
      ? [
          { personId: person.id, isRepresentative: true },
          ...coOwners
            .filter((coOwner) => coOwner.id !== person.id)
            .map((coOwner) => ({ personId: coOwner.id, isRepresentative: false })),
        ]
      : null
    if (!existing) {
      const unit = {
        id: newId(),
        number: row.number,
        finca: row.finca ?? null,
        coefficient: formatCoefficient(row.coefficient),
        upToDate: row.upToDate ?? true,
      }
      plan.writes.newUnits.push(unit)
      if (ownerSet) plan.writes.ownerSets.push({ unitId: unit.id, owners: ownerSet })
      else plan.writes.replacedOwners.push({ unitId: unit.id, personId: person.id })
      plan.created.push({
        line: row.line,
        ...withoutId(unit),
        owner: person.fullName,
        coOwners: (coOwners ?? []).map((coOwner) => coOwner.fullName),
      })
      continue
    }
    const { unit, changes } = unitChanges(existing, row)
    const setChange = ownerSet ? owners.ownerSetChange(existing.id, ownerSet) : null
    const ownerChange = ownerSet ? null : owners.ownershipChange(existing.id, person)
    if (ownerSet && setChange) {
      changes.push(setChange)
      plan.writes.ownerSets.push({ unitId: existing.id, owners: ownerSet })
    }
    if (ownerChange) {
      changes.push(ownerChange.change)
      if (ownerChange.replace) plan.writes.replacedOwners.push({ unitId: existing.id, personId: person.id })
      else plan.writes.newRepresentatives.push({ unitId: existing.id, personId: person.id })
    }
    if (changes.length === 0) {
      plan.unchanged.push({ line: row.line, unitId: existing.id, number: existing.number })
      continue
    }
    if (changes.some((change) => change.field !== 'owner')) plan.writes.changedUnits.push(unit)
    plan.updated.push({ line: row.line, unitId: existing.id, number: unit.number, changes })
  }

  const mentioned = new Set(roster.numbers.map(unitNumberKey))
  for (const unit of state.units) {
    if (mentioned.has(unitNumberKey(unit.number))) continue
    plan.missing.push({ unitId: unit.id, number: unit.number, coefficient: unit.coefficient })
  }
  owners.fill(plan)
  return plan
}

function withoutId(unit: StoredUnit): Omit<StoredUnit, 'id'> {
  const { id: _id, ...rest } = unit
  return rest
}

function unitChanges(existing: StoredUnit, row: RosterRow): { unit: StoredUnit; changes: FieldChange[] } {
  const unit: StoredUnit = {
    id: existing.id,
    number: row.number,
    finca: row.finca === undefined ? existing.finca : row.finca,
    coefficient: formatCoefficient(row.coefficient),
    upToDate: row.upToDate ?? existing.upToDate,
  }
  const changes: FieldChange[] = []
  if (unit.number !== existing.number)
    changes.push({ field: 'number', from: existing.number, to: unit.number })
  if (unit.finca !== existing.finca) changes.push({ field: 'finca', from: existing.finca, to: unit.finca })
  if (row.coefficient !== parseCoefficient(existing.coefficient)) {
    changes.push({
      field: 'coefficient',
      from: formatCoefficient(parseCoefficient(existing.coefficient)),
      to: unit.coefficient,
    })
  }
  if (unit.upToDate !== existing.upToDate)
    changes.push({ field: 'upToDate', from: existing.upToDate, to: unit.upToDate })
  return { unit, changes }
}

interface ResolvedPerson extends StoredPerson {
  isNew: boolean
}

// Finds or creates the owner of each row; the first row naming a person sets their name and phone.
class OwnerResolver {
  private readonly byEmail = new Map<string, StoredPerson>()
  private readonly byDocument = new Map<string, StoredPerson>()
  private readonly byName = new Map<string, StoredPerson[]>()
  private readonly byId: Map<string, StoredPerson>
  private readonly ownersOfUnit = new Map<string, StoredOwnership[]>()
  private readonly resolved = new Map<string, ResolvedPerson>()

  constructor(
    state: RosterState,
    private readonly newId: () => string,
  ) {
    this.byId = new Map(state.people.map((person) => [person.id, person]))
    for (const person of state.people) {
      if (person.email && !this.byEmail.has(person.email.toLowerCase()))
        this.byEmail.set(person.email.toLowerCase(), person)
      if (person.documentId && !this.byDocument.has(documentKey(person.documentId)))
        this.byDocument.set(documentKey(person.documentId), person)
      const key = personNameKey(person.fullName)
      this.byName.set(key, [...(this.byName.get(key) ?? []), person])
    }
    for (const ownership of state.ownerships) {
      this.ownersOfUnit.set(ownership.unitId, [...(this.ownersOfUnit.get(ownership.unitId) ?? []), ownership])
    }
  }

  resolve(
    row: Pick<RosterRow, 'ownerName' | 'email' | 'phone' | 'documentId'>,
    unitId: string | null,
  ): ResolvedPerson {
    const key = ownerKey(row)
    const known = this.resolved.get(key)
    if (known) return known
    const stored =
      (row.email ? this.byEmail.get(row.email) : undefined) ??
      (row.documentId ? this.byDocument.get(documentKey(row.documentId)) : undefined) ??
      (row.email ? undefined : this.matchByName(row.ownerName, unitId))
    const person: ResolvedPerson = stored
      ? {
          ...stored,
          fullName: row.ownerName,
          email: stored.email ?? row.email,
          phone: row.phone ?? stored.phone,
          documentId:
            row.documentId === undefined ? stored.documentId : (row.documentId ?? stored.documentId),
          isNew: false,
        }
      : {
          id: this.newId(),
          fullName: row.ownerName,
          email: row.email,
          phone: row.phone,
          documentId: row.documentId ?? null,
          isNew: true,
        }
    this.resolved.set(key, person)
    return person
  }

  /** The change of a unit's owners to exactly `wanted`, or null when they already are. */
  ownerSetChange(
    unitId: string,
    wanted: ReadonlyArray<{ personId: string; isRepresentative: boolean }>,
  ): FieldChange | null {
    const owners = this.ownersOfUnit.get(unitId) ?? []
    const describe = (list: ReadonlyArray<{ personId: string; isRepresentative: boolean }>) =>
      list
        .map((owner) => `${this.nameOf(owner.personId)}${owner.isRepresentative ? ' *' : ''}`)
        .sort()
        .join(' | ')
    const same =
      owners.length === wanted.length &&
      wanted.every((owner) =>
        owners.some(
          (stored) =>
            stored.personId === owner.personId && stored.isRepresentative === owner.isRepresentative,
        ),
      )
    return same ? null : { field: 'coOwners', from: describe(owners) || null, to: describe(wanted) }
  }

  private nameOf(personId: string): string {
    for (const person of this.resolved.values()) if (person.id === personId) return person.fullName
    return this.byId.get(personId)?.fullName ?? personId
  }

  /** How the unit's ownership must change so `person` is its representative, or null if it already is. */
  ownershipChange(unitId: string, person: ResolvedPerson): { replace: boolean; change: FieldChange } | null {
    const owners = this.ownersOfUnit.get(unitId) ?? []
    const representatives = owners.filter((owner) => owner.isRepresentative)
    const current = representatives[0] ? (this.byId.get(representatives[0].personId)?.fullName ?? null) : null
    const change: FieldChange = { field: 'owner', from: current, to: person.fullName }
    if (!owners.some((owner) => owner.personId === person.id)) return { replace: true, change }
    if (representatives.length === 1 && representatives[0]?.personId === person.id) return null
    return { replace: false, change }
  }

  fill(plan: ImportPlan): void {
    for (const person of this.resolved.values()) {
      const { isNew, ...stored } = person
      if (isNew) {
        plan.writes.newPeople.push(stored)
        plan.people.created.push({ fullName: person.fullName, email: person.email })
        continue
      }
      const before = this.byId.get(person.id)
      if (!before) continue
      const changes: FieldChange[] = []
      if (before.fullName !== person.fullName)
        changes.push({ field: 'fullName', from: before.fullName, to: person.fullName })
      if (before.phone !== person.phone)
        changes.push({ field: 'phone', from: before.phone, to: person.phone })
      if (before.documentId !== person.documentId)
        changes.push({ field: 'documentId', from: before.documentId, to: person.documentId })
      if (before.email !== person.email)
        changes.push({ field: 'email', from: before.email, to: person.email })
      if (changes.length === 0) continue
      plan.writes.changedPeople.push(stored)
      plan.people.updated.push({ personId: person.id, fullName: person.fullName, changes })
    }
  }

  private matchByName(name: string, unitId: string | null): StoredPerson | undefined {
    const candidates = this.byName.get(personNameKey(name)) ?? []
    if (candidates.length <= 1 || !unitId) return candidates[0]
    // Namesakes are common; the one who already owns this unit is the likeliest match.
    const owners = new Set((this.ownersOfUnit.get(unitId) ?? []).map((owner) => owner.personId))
    return candidates.find((candidate) => owners.has(candidate.id)) ?? candidates[0]
  }
}
