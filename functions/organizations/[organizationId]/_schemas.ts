import { t } from 'elysia'
import type { Organization, Person, Unit, UnitOwner } from '../../../core/ph/index.ts'
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

/** What the PH does with units in arrears (not al día). */
export const ArrearsVoting = t.Union([t.Literal('voice_no_vote'), t.Literal('full_vote')], {
  description:
    'voice_no_vote: may speak, may not vote, not counted for quorum (default); full_vote: as any unit',
})

/** A rule preset as people see it (owned by core/rules/schemas.ts). */
export { PresetInfoSchema }

/** Optional text a client may clear with null (or an empty string). */
export const NullableText = (maxLength: number) => t.Optional(t.Nullable(t.String({ maxLength })))

export const OrganizationSchema = t.Object({
  id: Uuid,
  slug: t.String(),
  name: t.String(),
  legalName: t.Nullable(t.String()),
  taxId: t.Nullable(t.String()),
  registryNumber: t.Nullable(t.String()),
  address: t.Nullable(t.String()),
  timeZone: t.String({ description: 'IANA time zone, e.g. America/Panama' }),
  locale: t.String({ description: 'BCP 47 locale for dates and numbers, e.g. es-PA' }),
  language: t.String({ description: 'es or en' }),
  ownerProxiesNeedApproval: t.Boolean({
    description: "Owner-filed proxies wait for an administrator's approval",
  }),
  ownerProxyDeadlineHours: t.Integer({
    description: 'Owners file proxies at least this many hours before the first call',
  }),
  arrearsVoting: ArrearsVoting,
  sealNamedResults: t.Boolean({ description: 'Named motions: running tallies hidden until close' }),
  noticeOrdinaryMinDays: t.Integer(),
  noticeOrdinaryMaxDays: t.Integer(),
  noticeExtraordinaryMinDays: t.Integer(),
  noticeExtraordinaryMaxDays: t.Integer(),
  reminderDaysBefore: t.Array(t.Integer(), {
    description: 'Reminders of the notice, days before the first call',
  }),
  summaryDelayHours: t.Integer({
    description:
      'Hours after the close before the summary of decisions is sent by itself (art. 71: within 3 days)',
  }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})

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
