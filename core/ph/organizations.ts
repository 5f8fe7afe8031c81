import { eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { organizations } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { alreadyExists, invalidField, isUniqueViolation, notFound } from './errors.ts'
import type { Actor, Language, Organization } from './types.ts'
import { canonicalLocale, foldText, isValidTimeZone, optionalText, requireText } from './validation.ts'

export interface OrganizationInput {
  name: string
  /** URL name, unique on the installation; derived from the name when absent. */
  slug?: string
  legalName?: string | null
  taxId?: string | null
  registryNumber?: string | null
  address?: string | null
  /** IANA time zone; default 'America/Panama'. */
  timeZone?: string
  /** BCP 47 locale for dates and numbers; default 'es-PA'. */
  locale?: string
  language?: Language
  /** Owner-filed proxies wait for an administrator's approval. */
  ownerProxiesNeedApproval?: boolean
  /** Owners file proxies at least this many hours before the first call (0–720). */
  ownerProxyDeadlineHours?: number
  /** Units in arrears: 'voice_no_vote' (default) or 'full_vote'. */
  arrearsVoting?: ArrearsVoting
  /** Hide running tallies of named motions until close (secret motions are always sealed). */
  sealNamedResults?: boolean
  /** Notice windows, calendar days before the first call (defaults 10–20 ordinary, 3–5 extraordinary). */
  noticeOrdinaryMinDays?: number
  noticeOrdinaryMaxDays?: number
  noticeExtraordinaryMinDays?: number
  noticeExtraordinaryMaxDays?: number
  /** Reminders of the notice, days before the first call (default [7, 1]); [] for none. */
  reminderDaysBefore?: number[]
  /** Hours after the close before the summary of decisions goes out by itself (0–72; art. 71: 3 days). */
  summaryDelayHours?: number
}

const WINDOW_FIELDS = [
  'noticeOrdinaryMinDays',
  'noticeOrdinaryMaxDays',
  'noticeExtraordinaryMinDays',
  'noticeExtraordinaryMaxDays',
] as const

/** Each window is whole days 0–365, its minimum not above its maximum (422 naming the field). */
function assertWindows(merged: Pick<OrganizationInput, (typeof WINDOW_FIELDS)[number]>): void {
  if ((merged.noticeOrdinaryMinDays ?? 0) > (merged.noticeOrdinaryMaxDays ?? 0))
    throw invalidField('noticeOrdinaryMinDays', 'must not be more than noticeOrdinaryMaxDays')
  if ((merged.noticeExtraordinaryMinDays ?? 0) > (merged.noticeExtraordinaryMaxDays ?? 0))
    throw invalidField('noticeExtraordinaryMinDays', 'must not be more than noticeExtraordinaryMaxDays')
}

export type ArrearsVoting = 'voice_no_vote' | 'full_vote'
const ARREARS: readonly ArrearsVoting[] = ['voice_no_vote', 'full_vote']

export type OrganizationChanges = Partial<OrganizationInput>

const LANGUAGES: readonly Language[] = ['es', 'en']
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/** A slug from a name: 'PH Torre Pacífica' → 'ph-torre-pacifica'. */
export function slugify(name: string): string {
  return foldText(name)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
}

/**
 * Creates a PH. Throws 422 `validation_failed` for a bad field (time zone, locale, language, slug)
 * and 409 `already_exists` (field 'slug') when the slug is taken.
 */
export async function createOrganization(
  db: Database,
  input: { organization: OrganizationInput; actor: Actor },
): Promise<Organization> {
  const values = validateOrganization(input.organization, true)
  const name = values.name as string
  const slug = values.slug ?? slugify(name)
  if (!SLUG.test(slug)) throw invalidField('slug', 'needs letters or digits')
  const id = crypto.randomUUID()
  try {
    return await withTenant(db, id, async (tx) => {
      const [created] = await tx
        .insert(organizations)
        .values({ ...values, id, name, slug })
        .returning()
      return created!
    })
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists('slug', `The slug '${slug}' is already taken`)
    throw error
  }
}

/** The PH, or null when there is none with this id. */
export async function getOrganization(
  db: Database,
  input: { organizationId: string },
): Promise<Organization | null> {
  return withTenant(db, input.organizationId, async (tx) => {
    const [row] = await tx.select().from(organizations).where(eq(organizations.id, input.organizationId))
    return row ?? null
  })
}

/**
 * Changes the given fields of a PH (undefined = unchanged, null = cleared for optional fields).
 * Throws 404 `not_found`, 422 `validation_failed`, 409 `already_exists` (field 'slug').
 */
export async function updateOrganization(
  db: Database,
  input: { organizationId: string; changes: OrganizationChanges; actor: Actor },
): Promise<Organization> {
  const values = validateOrganization(input.changes, false)
  if (values.slug !== undefined && !SLUG.test(values.slug)) {
    throw invalidField('slug', 'must be lower-case letters and digits separated by dashes')
  }
  try {
    return await withTenant(db, input.organizationId, async (tx) => {
      const scope = eq(organizations.id, input.organizationId)
      if (WINDOW_FIELDS.some((field) => values[field] !== undefined)) {
        const [current] = await tx.select().from(organizations).where(scope)
        if (!current) throw notFound('Organization')
        assertWindows({ ...current, ...values })
      }
      const [updated] =
        Object.keys(values).length === 0
          ? await tx.select().from(organizations).where(scope)
          : await tx.update(organizations).set(values).where(scope).returning()
      if (!updated) throw notFound('Organization')
      return updated
    })
  } catch (error) {
    if (isUniqueViolation(error)) throw alreadyExists('slug', `The slug '${values.slug}' is already taken`)
    throw error
  }
}

function oneOf<T extends string>(field: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) throw invalidField(field, `must be one of ${allowed.join(', ')}`)
  return value
}

function flag(field: string, value: boolean): boolean {
  if (typeof value !== 'boolean') throw invalidField(field, 'must be true or false')
  return value
}

function wholeHours(field: string, hours: number, max: number): number {
  if (!Number.isInteger(hours) || hours < 0 || hours > max)
    throw invalidField(field, `must be a whole number of hours from 0 to ${max}`)
  return hours
}

function validateOrganization(input: OrganizationChanges, creating: boolean): OrganizationChanges {
  const values: OrganizationChanges = {}
  if (creating || input.name !== undefined) values.name = requireText('name', input.name)
  if (input.slug !== undefined) values.slug = requireText('slug', input.slug, 60).toLowerCase()
  const legalName = optionalText('legalName', input.legalName)
  if (legalName !== undefined) values.legalName = legalName
  const taxId = optionalText('taxId', input.taxId, 60)
  if (taxId !== undefined) values.taxId = taxId
  const registryNumber = optionalText('registryNumber', input.registryNumber, 60)
  if (registryNumber !== undefined) values.registryNumber = registryNumber
  const address = optionalText('address', input.address, 500)
  if (address !== undefined) values.address = address
  if (input.timeZone !== undefined) {
    if (!isValidTimeZone(input.timeZone))
      throw invalidField('timeZone', `'${input.timeZone}' is not an IANA time zone`)
    values.timeZone = input.timeZone
  }
  if (input.locale !== undefined) {
    const locale = canonicalLocale(input.locale)
    if (!locale) throw invalidField('locale', `'${input.locale}' is not a locale`)
    values.locale = locale
  }
  if (input.language !== undefined) values.language = oneOf('language', input.language, LANGUAGES)
  if (input.ownerProxiesNeedApproval !== undefined)
    values.ownerProxiesNeedApproval = flag('ownerProxiesNeedApproval', input.ownerProxiesNeedApproval)
  if (input.ownerProxyDeadlineHours !== undefined)
    values.ownerProxyDeadlineHours = wholeHours('ownerProxyDeadlineHours', input.ownerProxyDeadlineHours, 720)
  if (input.arrearsVoting !== undefined)
    values.arrearsVoting = oneOf('arrearsVoting', input.arrearsVoting, ARREARS)
  if (input.sealNamedResults !== undefined)
    values.sealNamedResults = flag('sealNamedResults', input.sealNamedResults)
  if (input.summaryDelayHours !== undefined)
    values.summaryDelayHours = wholeHours('summaryDelayHours', input.summaryDelayHours, 72)
  if (input.reminderDaysBefore !== undefined) {
    const days = input.reminderDaysBefore
    if (!Array.isArray(days) || days.length > 5 || days.some((d) => !Number.isInteger(d) || d < 1 || d > 60))
      throw invalidField('reminderDaysBefore', 'must be at most 5 whole numbers of days from 1 to 60')
    values.reminderDaysBefore = [...new Set(days)].sort((a, b) => b - a)
  }
  for (const field of WINDOW_FIELDS) {
    const days = input[field]
    if (days === undefined) continue
    if (!Number.isInteger(days) || days < 0 || days > 365)
      throw invalidField(field, 'must be a whole number of days from 0 to 365')
    values[field] = days
  }
  return values
}
