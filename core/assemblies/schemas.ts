import { type Static, type TSchema, Type } from '@sinclair/typebox'
import { VotableUnitSchema } from '../motions/schemas.ts'
import { PresetInfoSchema, QuorumRuleSchema, ThresholdSchema } from '../rules/schemas.ts'
import { Nullable, Timestamp, Uuid } from '../schemas.ts'

/*
 * The answers of the assembly routes, owned once here (TypeBox, without Elysia): the routes validate
 * and document with them, the web console reads their static types. Timestamps are ISO 8601 text.
 */

export const AssemblyKindSchema = Type.Union([Type.Literal('ordinary'), Type.Literal('extraordinary')])
export const ModalitySchema = Type.Union([
  Type.Literal('in_person'),
  Type.Literal('remote'),
  Type.Literal('mixed'),
])
export const CallSchema = Type.Union([Type.Literal('first'), Type.Literal('second')])
export const AssemblyStatusSchema = Type.Union([
  Type.Literal('draft'),
  Type.Literal('convened'),
  Type.Literal('in_progress'),
  Type.Literal('suspended'),
  Type.Literal('closed'),
  Type.Literal('cancelled'),
])

export const AssemblySchema = Type.Object({
  id: Uuid,
  number: Type.Integer({ description: 'Acta number, sequential per PH' }),
  title: Type.String(),
  kind: AssemblyKindSchema,
  modality: ModalitySchema,
  location: Nullable(Type.String()),
  meetingUrl: Nullable(Type.String()),
  firstCallAt: Timestamp,
  secondCallAt: Nullable(Timestamp),
  currentCall: CallSchema,
  status: AssemblyStatusSchema,
  quorumRule: QuorumRuleSchema,
  quorumRuleInfo: Nullable(PresetInfoSchema, { description: 'Display name and source of the rule' }),
  convenedBy: Nullable(Type.String()),
  convenerPosition: Nullable(Type.String()),
  callText: Nullable(Type.String()),
  noticedAt: Nullable(Timestamp),
  noticeWindowOverride: Nullable(Type.String()),
  presidentName: Nullable(Type.String()),
  secretaryName: Nullable(Type.String()),
  officersElection: Nullable(Type.String()),
  maxProxiesPerHolder: Nullable(Type.Integer()),
  startedAt: Nullable(Timestamp),
  endedAt: Nullable(Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
})
export type AssemblyView = Static<typeof AssemblySchema>

export const AgendaItemSchema = Type.Object({
  id: Uuid,
  position: Type.Integer({ description: '1-based' }),
  title: Type.String(),
  description: Nullable(Type.String()),
  notes: Nullable(Type.String({ description: 'Minutes of the discussion, for the acta' })),
  createdAt: Timestamp,
})
export type AgendaItemView = Static<typeof AgendaItemSchema>

export const ProxySchema = Type.Object({
  id: Uuid,
  assemblyId: Uuid,
  grantorUnitId: Uuid,
  unitNumber: Type.String(),
  holderPersonId: Uuid,
  holderName: Type.String(),
  holderEmail: Nullable(Type.String()),
  hasDocument: Type.Boolean(),
  validFrom: Nullable(Timestamp),
  validUntil: Nullable(Timestamp),
  status: Type.Union(
    [Type.Literal('active'), Type.Literal('revoked'), Type.Literal('pending'), Type.Literal('refused')],
    {
      description:
        "'pending'/'refused': an owner-filed proxy awaiting or denied the administrator's approval",
    },
  ),
  instructions: Nullable(
    Type.Record(Type.String(), Type.String(), {
      description: 'Directed proxy: the option key to vote, by motion id',
    }),
  ),
  filedByOwner: Type.Boolean(),
  revokedAt: Nullable(Timestamp),
  revokedReason: Nullable(Type.String()),
  createdAt: Timestamp,
})
export type ProxyRecord = Static<typeof ProxySchema>

/** GET …/assemblies/:assemblyId/notice (format=json). */
export const NoticeStatusSchema = Type.Object({
  missing: Type.Array(Type.String(), { description: 'Required fields still empty; agenda: no agenda item' }),
  window: Type.Object({
    days: Type.Integer({ description: 'Calendar days from the notice (or today) to the first call' }),
    min: Type.Integer(),
    max: Type.Integer(),
    inside: Type.Boolean(),
  }),
  notices: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: Type.String({ description: 'notice or corrected_notice' }),
      changed: Type.Array(Type.String()),
      subject: Type.String(),
      text: Type.String(),
      sentAt: Timestamp,
    }),
  ),
})
export type NoticeStatus = Static<typeof NoticeStatusSchema>

/** A document attached to an assembly (or one of its agenda items); the file itself is served apart. */
export const AssemblyDocumentSchema = Type.Object({
  id: Uuid,
  assemblyId: Uuid,
  agendaItemId: Nullable(Uuid),
  title: Type.String(),
  fileName: Type.String(),
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  createdAt: Timestamp,
})
export type AssemblyDocumentView = Static<typeof AssemblyDocumentSchema>

/** A request to speak as the API shows it: no person ids (names and units are what the hall sees anyway). */
export const SpeakerRequestSchema = Type.Object({
  id: Uuid,
  agendaItemId: Uuid,
  name: Type.String(),
  unitNumbers: Type.Array(Type.String()),
  status: Type.Union([
    Type.Literal('waiting'),
    Type.Literal('speaking'),
    Type.Literal('done'),
    Type.Literal('withdrawn'),
    Type.Literal('skipped'),
  ]),
  requestedAt: Timestamp,
  startedAt: Nullable(Timestamp),
  endedAt: Nullable(Timestamp),
})
export type SpeakerRequestView = Static<typeof SpeakerRequestSchema>

export const AttendanceModeSchema = Type.Union([Type.Literal('in_person'), Type.Literal('remote')])

const Share = Type.Object({ units: Type.Integer(), coefficient: Type.String() })
/** Present over total, in coefficient (exact decimal text) or in a count, and whether the threshold is met. */
const Measure = <T extends TSchema>(figure: T) =>
  Type.Object({ present: figure, total: figure, percent: Type.String(), met: Type.Boolean() })

/** The quorum of an assembly now, from its open attendance, its rule and its current call. */
export const LiveQuorumSchema = Type.Object({
  assemblyId: Uuid,
  call: CallSchema,
  rule: QuorumRuleSchema,
  reached: Type.Boolean(),
  /** Threshold of the current call; null when the rule does not allow this call. */
  threshold: Nullable(ThresholdSchema),
  reason: Nullable(Type.String()),
  explanation: Type.String(),
  /** Present over total coefficient (only up-to-date units when the rule is eligible-only). */
  byCoefficient: Measure(Type.String()),
  /** Present over total units (only up-to-date units when the rule is eligible-only). */
  byUnits: Measure(Type.Integer()),
  /**
   * Owner heads present over all heads (only up-to-date units when eligible-only): one per owner however
   * many units they hold; co-owners of a unit are that unit's one representative.
   */
  byOwners: Measure(Type.Integer()),
  allUnits: Type.Integer({ description: 'Every unit of the PH' }),
  unitsInArrears: Type.Integer({ description: 'Units not up to date (al día)' }),
  /** Every present unit by how it attends, whether or not the rule counts it. */
  inPerson: Share,
  remote: Share,
})

export const AttendanceRecordSchema = Type.Object({
  id: Uuid,
  unitId: Uuid,
  unitNumber: Type.String(),
  finca: Nullable(Type.String()),
  personId: Nullable(Uuid),
  personName: Nullable(Type.String()),
  proxyId: Nullable(Uuid, { description: 'Set when the person attends as proxy holder' }),
  mode: AttendanceModeSchema,
  checkedInAt: Timestamp,
  checkedOutAt: Nullable(Timestamp),
})
export type AttendanceRecordView = Static<typeof AttendanceRecordSchema>

const RevokedProxySchema = Type.Object({
  proxyId: Uuid,
  unitId: Uuid,
  unitNumber: Type.String(),
  holder: Type.Object({ personId: Uuid, fullName: Type.String() }),
  reason: Type.String(),
  revokedAt: Timestamp,
})

/** POST …/attendance/check-in and self-check-in. */
export const CheckInResultSchema = Type.Object({
  checkedIn: Type.Array(AttendanceRecordSchema),
  alreadyPresent: Type.Array(AttendanceRecordSchema, {
    description: 'Units this person had already checked in (left as they were)',
  }),
  revokedProxies: Type.Array(RevokedProxySchema, {
    description: 'Proxies revoked because their owner checked in personally; their holders are told',
  }),
  quorum: LiveQuorumSchema,
})
export type CheckInResultView = Static<typeof CheckInResultSchema>

/** POST …/attendance/check-out and self-check-out. */
export const CheckOutResultSchema = Type.Object({
  checkedOut: Type.Array(AttendanceRecordSchema),
  quorum: LiveQuorumSchema,
})
export type CheckOutResultView = Static<typeof CheckOutResultSchema>

/** One unit the desk found (GET …/attendance/search): who may attend for it and whether it is present. */
export const AttendeeMatchSchema = Type.Object({
  unitId: Uuid,
  number: Type.String(),
  finca: Nullable(Type.String()),
  coefficient: Type.String(),
  upToDate: Type.Boolean(),
  owners: Type.Array(
    Type.Object({
      personId: Uuid,
      fullName: Type.String(),
      email: Nullable(Type.String()),
      documentId: Nullable(Type.String()),
      isRepresentative: Type.Boolean(),
    }),
  ),
  proxy: Nullable(
    Type.Object({
      proxyId: Uuid,
      holderPersonId: Uuid,
      holderName: Type.String(),
      validUntil: Nullable(Timestamp),
    }),
  ),
  attendance: Nullable(
    Type.Object({
      attendanceId: Uuid,
      personId: Nullable(Uuid),
      mode: AttendanceModeSchema,
      checkedInAt: Timestamp,
    }),
  ),
})
export type AttendeeMatch = Static<typeof AttendeeMatchSchema>

/** POST …/attendance/sign-in-code: a one-time sign-in code for a checked-in person. */
export const DeskSignInCodeSchema = Type.Object({
  code: Type.String(),
  url: Type.String(),
  expiresAt: Type.String(),
  personName: Type.String(),
})
export type DeskSignInCode = Static<typeof DeskSignInCodeSchema>

/** GET …/attendance/my-code: the signed-in person's check-in code, shown as a QR for the desk. */
export const AttendeeCodeSchema = Type.Object({
  assemblyId: Uuid,
  personId: Uuid,
  fullName: Type.String(),
  token: Type.String({ description: 'Show it as a QR code; the desk scans it into check-in' }),
})
export type AttendeeCode = Static<typeof AttendeeCodeSchema>

/** A proxy the person gave (of a unit they own) or holds, as they see it. */
export const MyProxySchema = Type.Object({
  proxyId: Type.String(),
  unitId: Type.String(),
  unitNumber: Type.String(),
  holderName: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('pending'), Type.Literal('refused')]),
  /** Why the administration refused it (status 'refused'). */
  reason: Nullable(Type.String()),
  instructions: Nullable(Type.Record(Type.String(), Type.String())),
  /** ISO 8601. */
  validUntil: Nullable(Type.String()),
})

/** A proxy the person holds, with the grantor unit's standing and representative owner. */
export const HeldProxySchema = Type.Composite([
  MyProxySchema,
  Type.Object({
    upToDate: Type.Boolean(),
    grantorName: Type.String({
      description: "The grantor unit's representative owner (empty if the unit has no owner)",
    }),
  }),
])

/** GET …/assemblies/:assemblyId/me: the signed-in owner's or proxy holder's view of an assembly. */
export const MyAssemblySchema = Type.Object({
  /** The units they may vote (owned, or held by proxy), with presence. */
  units: Type.Array(VotableUnitSchema),
  ownedUnits: Type.Array(
    Type.Object({ unitId: Type.String(), number: Type.String(), upToDate: Type.Boolean() }),
    { description: 'Every unit the person owns, with its up-to-date status' },
  ),
  proxiesGiven: Type.Array(MyProxySchema, {
    description: 'Active, pending or refused proxies of my units',
  }),
  proxiesHeld: Type.Array(HeldProxySchema, { description: 'Active or pending proxies I hold' }),
  /** The PH's rules for owner-filed proxies. */
  proxyRules: Type.Object({
    needsApproval: Type.Boolean(),
    deadlineHours: Type.Integer(),
    deadline: Type.String({ description: 'Last moment an owner may file a proxy' }),
  }),
})

/** POST …/screen-link: a link for the projector (the screen page and its WebSocket), valid until expiresAt. */
export const ScreenLinkSchema = Type.Object({
  token: Type.String(),
  screenUrl: Type.String(),
  websocketUrl: Type.String(),
  expiresAt: Type.String(),
})
export type ScreenLink = Static<typeof ScreenLinkSchema>
