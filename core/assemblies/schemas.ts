import { type Static, Type } from '@sinclair/typebox'
import { PresetInfoSchema, QuorumRuleSchema } from '../rules/schemas.ts'
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
