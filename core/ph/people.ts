import { and, asc, count, eq, ilike, inArray, or } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { ownerships, people, proxies } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import type { ChangeDeps } from '../changes/notifier.ts'
import { AppError } from '../errors.ts'
import { invalidField, notFound } from './errors.ts'
import type { Actor, Person } from './types.ts'
import {
  escapeLike,
  isUuid,
  normalizeEmail,
  normalizePhone,
  optionalText,
  requireText,
} from './validation.ts'

export interface PersonInput {
  fullName: string
  email?: string | null
  /** Stored in E.164 form; Panamanian numbers may omit the country code. */
  phone?: string | null
  /** Cédula or passport, used to prove identity at the desk. */
  documentId?: string | null
}

export type PersonChanges = Partial<PersonInput>

/** Person fields ready to store: trimmed, email lower-cased, phone in E.164. */
export type PersonValues = {
  fullName?: string
  email?: string | null
  phone?: string | null
  documentId?: string | null
}

/** Validates person fields; `prefix` names nested fields in errors (e.g. 'holder.email'). Throws 422. */
export function validatePerson(input: PersonChanges, creating: boolean, prefix = ''): PersonValues {
  const values: PersonValues = {}
  if (creating || input.fullName !== undefined)
    values.fullName = requireText(`${prefix}fullName`, input.fullName)
  const email = optionalText(`${prefix}email`, input.email, 254)
  if (email !== undefined) {
    values.email = email === null ? null : normalizeEmail(email)
    if (email !== null && values.email === null)
      throw invalidField(`${prefix}email`, `'${email}' is not an email address`)
  }
  const phone = optionalText(`${prefix}phone`, input.phone, 40)
  if (phone !== undefined) {
    values.phone = phone === null ? null : normalizePhone(phone)
    if (phone !== null && values.phone === null) {
      throw invalidField(
        `${prefix}phone`,
        `'${phone}' is not a phone number (add the country code, e.g. +507)`,
      )
    }
  }
  const documentId = optionalText(`${prefix}documentId`, input.documentId, 40)
  if (documentId !== undefined) values.documentId = documentId
  return values
}

/** Inserts a validated person inside an open tenant transaction. */
export async function insertPerson(
  tx: Database,
  organizationId: string,
  values: PersonValues,
): Promise<Person> {
  const [created] = await tx
    .insert(people)
    .values({ ...values, organizationId, fullName: values.fullName! })
    .returning()
  return created!
}

/** Creates an owner or proxy holder. Throws 422 `validation_failed`. */
export async function createPerson(
  db: Database,
  input: { organizationId: string; person: PersonInput; actor: Actor },
): Promise<Person> {
  const values = validatePerson(input.person, true)
  return withTenant(db, input.organizationId, (tx) => insertPerson(tx, input.organizationId, values))
}

/** The person, or null. */
export async function getPerson(
  db: Database,
  input: { organizationId: string; personId: string },
): Promise<Person | null> {
  if (!isUuid(input.personId)) return null
  return withTenant(db, input.organizationId, async (tx) => {
    const [row] = await tx
      .select()
      .from(people)
      .where(and(eq(people.organizationId, input.organizationId), eq(people.id, input.personId)))
    return row ?? null
  })
}

/** People of the PH by name; `search` matches part of the name, email or document id. */
export async function listPeople(
  db: Database,
  input: { organizationId: string; search?: string; limit?: number },
): Promise<Person[]> {
  const term = input.search?.trim()
  const pattern = term ? `%${escapeLike(term)}%` : null
  return withTenant(db, input.organizationId, (tx) =>
    tx
      .select()
      .from(people)
      .where(
        and(
          eq(people.organizationId, input.organizationId),
          pattern
            ? or(
                ilike(people.fullName, pattern),
                ilike(people.email, pattern),
                ilike(people.documentId, pattern),
              )
            : undefined,
        ),
      )
      .orderBy(asc(people.fullName), asc(people.id))
      .limit(Math.min(Math.max(input.limit ?? 1000, 1), 10_000)),
  )
}

/** Changes the given fields of a person. Throws 404 `not_found` and 422 `validation_failed`. */
export async function updatePerson(
  db: Database,
  input: { organizationId: string; personId: string; changes: PersonChanges; actor: Actor },
  deps: ChangeDeps = {},
): Promise<Person> {
  const values = validatePerson(input.changes, false)
  if (!isUuid(input.personId)) throw notFound('Person')
  const result = await withTenant(db, input.organizationId, async (tx) => {
    const scope = and(eq(people.organizationId, input.organizationId), eq(people.id, input.personId))
    const [updated] =
      Object.keys(values).length === 0
        ? await tx.select().from(people).where(scope)
        : await tx.update(people).set(values).where(scope).returning()
    if (!updated) throw notFound('Person')
    return updated
  })
  // A person's e-mail links them to a user account, and so to that user's roles here.
  if (values.email !== undefined)
    await deps.changes?.announce({ organizationId: input.organizationId, kinds: ['membership'] })
  return result
}

/** What keeps a person in the PH: the units they own and the proxies they ever held. */
export interface PersonUsage {
  ownerships: number
  proxies: number
}

/** The usage of each of the given people (zero counts for those without any), by person id. */
async function usageOf(
  tx: Database,
  organizationId: string,
  personIds: string[],
): Promise<Map<string, PersonUsage>> {
  const usage = new Map(personIds.map((id) => [id, { ownerships: 0, proxies: 0 }]))
  if (personIds.length === 0) return usage
  const owned = await tx
    .select({ personId: ownerships.personId, n: count() })
    .from(ownerships)
    .where(and(eq(ownerships.organizationId, organizationId), inArray(ownerships.personId, personIds)))
    .groupBy(ownerships.personId)
  const held = await tx
    .select({ personId: proxies.holderPersonId, n: count() })
    .from(proxies)
    .where(and(eq(proxies.organizationId, organizationId), inArray(proxies.holderPersonId, personIds)))
    .groupBy(proxies.holderPersonId)
  for (const row of owned) usage.get(row.personId)!.ownerships = row.n
  for (const row of held) usage.get(row.personId)!.proxies = row.n
  return usage
}

/**
 * Why each of the given people cannot be deleted (see `deletePerson`), so the console offers deletion
 * only to those it would succeed for.
 */
export async function peopleUsage(
  db: Database,
  input: { organizationId: string; personIds: string[] },
): Promise<Map<string, PersonUsage>> {
  return withTenant(db, input.organizationId, (tx) => usageOf(tx, input.organizationId, input.personIds))
}

/**
 * Deletes a person who owns no unit and never held a proxy. Throws 404 `not_found` and
 * 409 `person_in_use` (details: ownerships, proxies) otherwise, so no unit loses its owner silently.
 */
export async function deletePerson(
  db: Database,
  input: { organizationId: string; personId: string; actor: Actor },
): Promise<void> {
  const { organizationId, personId } = input
  if (!isUuid(personId)) throw notFound('Person')
  await withTenant(db, organizationId, async (tx) => {
    const scope = and(eq(people.organizationId, organizationId), eq(people.id, personId))
    const [existing] = await tx.select({ id: people.id, fullName: people.fullName }).from(people).where(scope)
    if (!existing) throw notFound('Person')
    const usage = (await usageOf(tx, organizationId, [personId])).get(personId)!
    if (usage.ownerships + usage.proxies > 0) {
      throw new AppError(409, 'person_in_use', `${existing.fullName} owns units or holds proxies`, usage)
    }
    await tx.delete(people).where(scope)
  })
}
