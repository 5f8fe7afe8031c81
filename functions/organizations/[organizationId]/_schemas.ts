import { t } from 'elysia'
import type { Organization, Person, Unit, UnitOwner } from '../../../core/ph/index.ts'
import { ArrearsVoting, OrganizationSchema } from '../../../core/ph/schemas.ts'
import { PresetInfoSchema } from '../../../core/rules/schemas.ts'
import { Timestamp, Uuid } from '../../../core/schemas.ts'
import { AppError } from '../../_lib/errors.ts'

/*
 * Schemas and views of the PH-setup routes (the PH, members, units, owners, people): the `t` schemas
 * are the validation, the types and the OpenAPI document at once, so each shape is written here once.
 */

export { Timestamp, Uuid }

export const OrganizationParams = t.Object({ organizationId: Uuid })
export const UnitParams = t.Object({ organizationId: Uuid, unitId: Uuid })
export const PersonParams = t.Object({ organizationId: Uuid, personId: Uuid })

/** Throws 422 naming `body.<first>`, as the schema validation would, unless exactly one of the two is given. */
export function requireOneOf(body: Record<string, unknown>, first: string, second: string): void {
  if ((body[first] === undefined) !== (body[second] === undefined)) return
  const message = `give either ${first} or ${second}`
  throw new AppError(422, 'validation_failed', `body.${first}: ${message}`, [
    { field: `body.${first}`, message },
  ])
}

// Shapes owned by core (core/rules/schemas.ts, core/ph/schemas.ts).
export { ArrearsVoting, OrganizationSchema, PresetInfoSchema }

/** Optional text a client may clear with null (or an empty string). */
export const NullableText = (maxLength: number) => t.Optional(t.Nullable(t.String({ maxLength })))

export function organizationView(organization: Organization) {
  return {
    id: organization.id,
    slug: organization.slug,
    name: organization.name,
    legalName: organization.legalName,
    taxId: organization.taxId,
    registryNumber: organization.registryNumber,
    address: organization.address,
    timeZone: organization.timeZone,
    locale: organization.locale,
    language: organization.language,
    ownerProxiesNeedApproval: organization.ownerProxiesNeedApproval,
    ownerProxyDeadlineHours: organization.ownerProxyDeadlineHours,
    arrearsVoting: organization.arrearsVoting as 'voice_no_vote' | 'full_vote',
    sealNamedResults: organization.sealNamedResults,
    noticeOrdinaryMinDays: organization.noticeOrdinaryMinDays,
    noticeOrdinaryMaxDays: organization.noticeOrdinaryMaxDays,
    noticeExtraordinaryMinDays: organization.noticeExtraordinaryMinDays,
    noticeExtraordinaryMaxDays: organization.noticeExtraordinaryMaxDays,
    reminderDaysBefore: organization.reminderDaysBefore,
    summaryDelayHours: organization.summaryDelayHours,
    createdAt: organization.createdAt.toISOString(),
    updatedAt: organization.updatedAt.toISOString(),
  }
}

const Coefficient = t.String({
  minLength: 1,
  maxLength: 32,
  description: 'Percent of the whole, decimal point or comma: "0.833333333", "8,5"',
})

const unitFields = {
  finca: NullableText(200),
  coefficient: Coefficient,
  upToDate: t.Boolean({ description: 'Al día (paz y salvo); default true' }),
}

export const CreateUnitBody = t.Object(
  {
    number: t.String({ minLength: 1, maxLength: 200 }),
    finca: unitFields.finca,
    coefficient: unitFields.coefficient,
    upToDate: t.Optional(unitFields.upToDate),
  },
  { additionalProperties: false },
)

export const UpdateUnitBody = t.Object(
  {
    number: t.Optional(t.String({ minLength: 1, maxLength: 200 })),
    finca: unitFields.finca,
    coefficient: t.Optional(unitFields.coefficient),
    upToDate: t.Optional(unitFields.upToDate),
  },
  { additionalProperties: false, minProperties: 1 },
)

export const UnitSchema = t.Object({
  id: Uuid,
  number: t.String(),
  finca: t.Nullable(t.String()),
  coefficient: t.String({ description: 'Percent of the whole, exact decimal with 9 places' }),
  upToDate: t.Boolean(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})

export function unitView(unit: Unit) {
  return {
    id: unit.id,
    number: unit.number,
    finca: unit.finca,
    coefficient: unit.coefficient,
    upToDate: unit.upToDate,
    createdAt: unit.createdAt.toISOString(),
    updatedAt: unit.updatedAt.toISOString(),
  }
}

export const UnitOwnerSchema = t.Object({
  personId: Uuid,
  fullName: t.String(),
  email: t.Nullable(t.String()),
  phone: t.Nullable(t.String()),
  documentId: t.Nullable(t.String()),
  isRepresentative: t.Boolean(),
  since: t.Nullable(Timestamp),
})

export function unitOwnerView(owner: UnitOwner) {
  return { ...owner, since: owner.since?.toISOString() ?? null }
}

const personFields = {
  email: NullableText(254),
  phone: t.Optional(t.Nullable(t.String({ maxLength: 40, description: 'E.164, or a Panamanian number' }))),
  documentId: t.Optional(t.Nullable(t.String({ maxLength: 40, description: 'Cédula or passport' }))),
}
const FullName = t.String({ minLength: 1, maxLength: 200 })

export const CreatePersonBody = t.Object(
  { fullName: FullName, ...personFields },
  { additionalProperties: false },
)

export const UpdatePersonBody = t.Object(
  { fullName: t.Optional(FullName), ...personFields },
  { additionalProperties: false, minProperties: 1 },
)

export const PersonSchema = t.Object({
  id: Uuid,
  fullName: t.String(),
  email: t.Nullable(t.String()),
  phone: t.Nullable(t.String()),
  documentId: t.Nullable(t.String()),
  hasAccount: t.Boolean({ description: 'Whether a signed-in user is linked to this person' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})

export function personView(person: Person) {
  return {
    id: person.id,
    fullName: person.fullName,
    email: person.email,
    phone: person.phone,
    documentId: person.documentId,
    hasAccount: person.userId !== null,
    createdAt: person.createdAt.toISOString(),
    updatedAt: person.updatedAt.toISOString(),
  }
}
