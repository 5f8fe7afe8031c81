import { type Static, Type } from '@sinclair/typebox'
import { Nullable, Timestamp, Uuid } from '../schemas.ts'

/*
 * The answers of the PH-setup routes, owned once here (TypeBox, without Elysia): the routes validate
 * and document with them, the web console reads their static types.
 */

/** What the PH does with units in arrears (not al día). */
export const ArrearsVoting = Type.Union([Type.Literal('voice_no_vote'), Type.Literal('full_vote')], {
  description:
    'voice_no_vote: may speak, may not vote, not counted for quorum (default); full_vote: as any unit',
})

export const OrganizationSchema = Type.Object({
  id: Uuid,
  slug: Type.String(),
  name: Type.String(),
  legalName: Nullable(Type.String()),
  taxId: Nullable(Type.String()),
  registryNumber: Nullable(Type.String()),
  address: Nullable(Type.String()),
  timeZone: Type.String({ description: 'IANA time zone, e.g. America/Panama' }),
  locale: Type.String({ description: 'BCP 47 locale for dates and numbers, e.g. es-PA' }),
  language: Type.String({ description: 'es or en' }),
  ownerProxiesNeedApproval: Type.Boolean({
    description: "Owner-filed proxies wait for an administrator's approval",
  }),
  ownerProxyDeadlineHours: Type.Integer({
    description: 'Owners file proxies at least this many hours before the first call',
  }),
  arrearsVoting: ArrearsVoting,
  sealNamedResults: Type.Boolean({ description: 'Named motions: running tallies hidden until close' }),
  noticeOrdinaryMinDays: Type.Integer(),
  noticeOrdinaryMaxDays: Type.Integer(),
  noticeExtraordinaryMinDays: Type.Integer(),
  noticeExtraordinaryMaxDays: Type.Integer(),
  reminderDaysBefore: Type.Array(Type.Integer(), {
    description: 'Reminders of the notice, days before the first call',
  }),
  summaryDelayHours: Type.Integer({
    description:
      'Hours after the close before the summary of decisions is sent by itself (art. 71: within 3 days)',
  }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type OrganizationView = Static<typeof OrganizationSchema>

/** A PH as the platform lists it (GET /organizations, POST /organizations). */
export const HostedOrganizationSchema = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
})
export type HostedOrganization = Static<typeof HostedOrganizationSchema>

/** The roles a PH admin grants (GRANTABLE_ROLES in core/ph/members.ts). */
export const MemberRoleSchema = Type.Union(
  [Type.Literal('ph_admin'), Type.Literal('checkin_staff'), Type.Literal('auditor')],
  { description: 'auditor: reads the exact figures of secret motions' },
)

/** Someone who administers the PH or staffs its check-in desk. */
export const MemberSchema = Type.Object({
  id: Uuid,
  userId: Uuid,
  email: Type.String(),
  displayName: Nullable(Type.String()),
  role: MemberRoleSchema,
  createdAt: Timestamp,
})
export type MemberView = Static<typeof MemberSchema>

/** A unit of the roster with its owners (contact details and cédula for staff only). */
export const RosterUnitSchema = Type.Object({
  id: Uuid,
  number: Type.String(),
  finca: Nullable(Type.String()),
  coefficient: Type.String({ description: 'Percent of the whole, exact decimal with 9 places' }),
  upToDate: Type.Boolean(),
  owners: Type.Array(
    Type.Object({
      personId: Uuid,
      fullName: Type.String(),
      email: Nullable(Type.String()),
      phone: Nullable(Type.String()),
      documentId: Nullable(Type.String()),
      isRepresentative: Type.Boolean(),
    }),
  ),
})

export type RosterUnit = Static<typeof RosterUnitSchema>

/** GET …/units: one page of the roster. */
export const RosterPageSchema = Type.Object({
  units: Type.Array(RosterUnitSchema),
  total: Type.Integer({ description: 'Units of the PH' }),
  matching: Type.Integer({ description: 'Units matching the search' }),
  totalCoefficient: Type.String(),
  next: Nullable(Type.String()),
})
export type RosterPage = Static<typeof RosterPageSchema>

export const PersonSchema = Type.Object({
  id: Uuid,
  fullName: Type.String(),
  email: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  documentId: Nullable(Type.String()),
  hasAccount: Type.Boolean({ description: 'Whether a signed-in user is linked to this person' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})

/** A person as GET …/people lists them: with what keeps them in the PH. */
export const ListedPersonSchema = Type.Composite([
  PersonSchema,
  Type.Object({
    usage: Type.Object(
      {
        ownerships: Type.Integer({ description: 'Units the person owns' }),
        proxies: Type.Integer({ description: 'Proxies the person holds or ever held' }),
      },
      { description: 'What keeps the person in the PH: deletion is refused unless both are 0' },
    ),
  }),
])
export type ListedPerson = Static<typeof ListedPersonSchema>

export const ImportModeSchema = Type.Union([Type.Literal('replace'), Type.Literal('update')], {
  description:
    'replace: the file is the whole roster (sums to 100 %; units left out are deleted); ' +
    'update: the file changes or adds some units (the PH must still sum to 100 %)',
})

const Line = Type.Integer({ description: '1-based line in the file (the header is line 1)' })
const ChangeValue = Nullable(Type.Union([Type.String(), Type.Boolean()]))
const FieldChange = Type.Object({ field: Type.String(), from: ChangeValue, to: ChangeValue })
const Totals = Type.Object({ units: Type.Integer(), coefficient: Type.String() })

/** One problem of a roster file: where it is and what is wrong. */
export const ImportErrorSchema = Type.Object({
  line: Nullable(Line),
  column: Nullable(Type.String({ description: 'The header as written in the file' })),
  code: Type.String(),
  value: Type.Optional(Type.String({ description: 'The offending cell, unit number or sum' })),
  message: Type.String(),
})
export type ImportError = Static<typeof ImportErrorSchema>

/** POST …/units/import: what the roster file changes (or would change, on a dry run). */
export const ImportReportSchema = Type.Object({
  dryRun: Type.Boolean(),
  mode: ImportModeSchema,
  removed: Type.Array(Type.Object({ unitId: Uuid, number: Type.String(), coefficient: Type.String() }), {
    description: 'Units the file leaves out, deleted by a replace import',
  }),
  applied: Type.Boolean({ description: 'True when the changes were written' }),
  created: Type.Array(
    Type.Object({
      line: Line,
      number: Type.String(),
      finca: Nullable(Type.String()),
      coefficient: Type.String(),
      upToDate: Type.Boolean(),
      owner: Type.String(),
      coOwners: Type.Array(Type.String()),
    }),
  ),
  updated: Type.Array(
    Type.Object({ line: Line, unitId: Uuid, number: Type.String(), changes: Type.Array(FieldChange) }),
  ),
  unchanged: Type.Array(Type.Object({ line: Line, unitId: Uuid, number: Type.String() })),
  missing: Type.Array(
    Type.Object(
      { unitId: Uuid, number: Type.String(), coefficient: Type.String() },
      {
        description: 'Units of the PH the file does not mention, kept by an update import',
      },
    ),
  ),
  people: Type.Object({
    created: Type.Array(Type.Object({ fullName: Type.String(), email: Nullable(Type.String()) })),
    updated: Type.Array(
      Type.Object({ personId: Uuid, fullName: Type.String(), changes: Type.Array(FieldChange) }),
    ),
  }),
  errors: Type.Array(ImportErrorSchema),
  totals: Totals,
  after: Totals,
})
export type ImportReport = Static<typeof ImportReportSchema>

/** POST …/units/up-to-date: how many units the list matched and which ones changed. */
export const UpToDateResultSchema = Type.Object({
  matched: Type.Integer(),
  changed: Type.Array(Type.Object({ id: Uuid, number: Type.String() })),
})
export type UpToDateResult = Static<typeof UpToDateResultSchema>
