import { t } from 'elysia'
import type {
  AgendaItem,
  Assembly,
  AssemblyEvent,
  AttendanceRecord,
  CheckInResult,
  ProxyView,
  QuorumLogEntry,
  TransitionResult,
} from '../../../../core/assemblies/index.ts'
import {
  AgendaItemSchema,
  AssemblyKindSchema,
  AssemblySchema,
  AssemblyStatusSchema,
  CallSchema,
  ModalitySchema,
  ProxySchema,
} from '../../../../core/assemblies/schemas.ts'
import { quorumPresetInfo } from '../../../../core/rules/preset-catalog.ts'
import { QuorumRuleSchema, ThresholdSchema } from '../../../../core/rules/schemas.ts'
import { NullableText, Timestamp, Uuid } from '../_schemas.ts'

/*
 * Schemas and views of the assembly routes (assemblies, agenda, proxies, attendance, quorum). Every
 * timestamp leaves as ISO 8601 text.
 */

export const assemblyTags = ['assemblies']
export const attendanceTags = ['attendance']

export const AssemblyParams = t.Object({ organizationId: Uuid, assemblyId: Uuid })

const iso = (date: Date | null) => date?.toISOString() ?? null

/** The rules' threshold shape, owned by core (core/rules/schemas.ts). */
export const Threshold = ThresholdSchema

// The answer shapes are owned by core (core/rules/schemas.ts, core/assemblies/schemas.ts).
export const QuorumRule = QuorumRuleSchema

const Kind = AssemblyKindSchema
const Modality = ModalitySchema
const Call = CallSchema
export const AssemblyStatus = AssemblyStatusSchema
export const AttendanceMode = t.Union([t.Literal('in_person'), t.Literal('remote')])

const Title = t.String({ minLength: 1, maxLength: 200 })
const assemblyFields = {
  location: NullableText(200),
  meetingUrl: NullableText(2000),
  secondCallAt: t.Optional(t.Nullable(Timestamp)),
  convenedBy: NullableText(200),
  convenerPosition: NullableText(200),
  callText: NullableText(20_000),
  presidentName: NullableText(200),
  secretaryName: NullableText(200),
  officersElection: NullableText(20_000),
  maxProxiesPerHolder: t.Optional(
    t.Nullable(t.Integer({ minimum: 1, maximum: 100_000, description: 'null: no limit' })),
  ),
}
const QuorumRuleInput = t.Union([
  t.String({ minLength: 1, maxLength: 64, description: 'A preset name, e.g. ley284-owners-new-call' }),
  QuorumRule,
])

export const CreateAssemblyBody = t.Object(
  {
    title: Title,
    kind: Kind,
    modality: Modality,
    firstCallAt: Timestamp,
    quorumRule: QuorumRuleInput,
    ...assemblyFields,
  },
  { additionalProperties: false },
)

export const UpdateAssemblyBody = t.Object(
  {
    title: t.Optional(Title),
    kind: t.Optional(Kind),
    modality: t.Optional(Modality),
    firstCallAt: t.Optional(Timestamp),
    quorumRule: t.Optional(QuorumRuleInput),
    ...assemblyFields,
  },
  { additionalProperties: false, minProperties: 1 },
)

type CallTimes<T> = (T extends { firstCallAt: string } ? { firstCallAt: Date } : { firstCallAt?: Date }) & {
  secondCallAt?: Date | null
}

/** Request fields as the assembly services take them: call times as Dates. */
export function assemblyInputOf<T extends { firstCallAt?: string; secondCallAt?: string | null }>(
  body: T,
): Omit<T, 'firstCallAt' | 'secondCallAt'> & CallTimes<T> {
  const { firstCallAt, secondCallAt, ...rest } = body
  return {
    ...rest,
    ...(firstCallAt === undefined ? {} : { firstCallAt: new Date(firstCallAt) }),
    ...(secondCallAt === undefined
      ? {}
      : { secondCallAt: secondCallAt === null ? null : new Date(secondCallAt) }),
  } as Omit<T, 'firstCallAt' | 'secondCallAt'> & CallTimes<T>
}

export { AgendaItemSchema, AssemblySchema, ProxySchema }

export function assemblyView(assembly: Assembly) {
  return {
    id: assembly.id,
    number: assembly.number,
    title: assembly.title,
    kind: assembly.kind,
    modality: assembly.modality,
    location: assembly.location,
    meetingUrl: assembly.meetingUrl,
    firstCallAt: assembly.firstCallAt.toISOString(),
    secondCallAt: iso(assembly.secondCallAt),
    currentCall: assembly.currentCall,
    status: assembly.status,
    quorumRule: assembly.quorumRule,
    quorumRuleInfo: quorumPresetInfo(assembly.quorumRule.preset),
    convenedBy: assembly.convenedBy,
    convenerPosition: assembly.convenerPosition,
    callText: assembly.callText,
    noticedAt: iso(assembly.noticedAt),
    noticeWindowOverride: assembly.noticeWindowOverride,
    presidentName: assembly.presidentName,
    secretaryName: assembly.secretaryName,
    officersElection: assembly.officersElection,
    maxProxiesPerHolder: assembly.maxProxiesPerHolder,
    startedAt: iso(assembly.startedAt),
    endedAt: iso(assembly.endedAt),
    createdAt: assembly.createdAt.toISOString(),
    updatedAt: assembly.updatedAt.toISOString(),
  }
}

export const AssemblyEventSchema = t.Object({
  id: Uuid,
  kind: t.String({ description: 'convened, started, suspended, resumed, second_call, closed, cancelled' }),
  note: t.Nullable(t.String()),
  actorUserId: t.Nullable(Uuid),
  at: Timestamp,
})

export function assemblyEventView(event: AssemblyEvent) {
  return {
    id: event.id,
    kind: event.kind,
    note: event.note,
    actorUserId: event.actorUserId,
    at: event.at.toISOString(),
  }
}

const Share = t.Object({ units: t.Integer(), coefficient: t.String() })

export const LiveQuorumSchema = t.Object({
  assemblyId: Uuid,
  call: Call,
  rule: QuorumRule,
  reached: t.Boolean(),
  threshold: t.Nullable(Threshold),
  reason: t.Nullable(t.String()),
  explanation: t.String(),
  byCoefficient: t.Object({ present: t.String(), total: t.String(), percent: t.String(), met: t.Boolean() }),
  byUnits: t.Object({ present: t.Integer(), total: t.Integer(), percent: t.String(), met: t.Boolean() }),
  byOwners: t.Object({ present: t.Integer(), total: t.Integer(), percent: t.String(), met: t.Boolean() }),
  allUnits: t.Integer({ description: 'Every unit of the PH' }),
  unitsInArrears: t.Integer({ description: 'Units not up to date (al día)' }),
  inPerson: Share,
  remote: Share,
})

/** A status change or call switch: the assembly after it, the event for the acta, the quorum recorded. */
export const TransitionResultSchema = t.Object({
  assembly: AssemblySchema,
  event: AssemblyEventSchema,
  quorum: t.Nullable(LiveQuorumSchema, { description: 'Recorded on start, resume and second call' }),
})

export function transitionView(result: TransitionResult) {
  return {
    assembly: assemblyView(result.assembly),
    event: assemblyEventView(result.event),
    quorum: result.quorum,
  }
}

export const QuorumLogEntrySchema = t.Object({
  at: Timestamp,
  call: Call,
  presentCoefficient: t.String(),
  totalCoefficient: t.String(),
  presentUnits: t.Integer(),
  totalUnits: t.Integer(),
  inPersonUnits: t.Integer(),
  remoteUnits: t.Integer(),
  presentOwners: t.Integer(),
  totalOwners: t.Integer(),
  reached: t.Boolean(),
})

export function quorumLogEntryView(entry: QuorumLogEntry) {
  return { ...entry, at: entry.at.toISOString() }
}

export function agendaItemView(item: AgendaItem) {
  return {
    id: item.id,
    position: item.position,
    title: item.title,
    description: item.description,
    notes: item.notes,
    createdAt: item.createdAt.toISOString(),
  }
}

export const AgendaSchema = t.Object({ items: t.Array(AgendaItemSchema) })

export function agendaView(items: readonly AgendaItem[]) {
  return { items: items.map(agendaItemView) }
}

/** A proxy as the API shows it; the storage key of its document stays inside. */
export function proxyView(proxy: ProxyView) {
  return {
    id: proxy.id,
    assemblyId: proxy.assemblyId,
    grantorUnitId: proxy.grantorUnitId,
    unitNumber: proxy.unitNumber,
    holderPersonId: proxy.holderPersonId,
    holderName: proxy.holderName,
    holderEmail: proxy.holderEmail,
    hasDocument: proxy.documentPath !== null,
    validFrom: iso(proxy.validFrom),
    validUntil: iso(proxy.validUntil),
    status: proxy.status,
    instructions: proxy.instructions,
    filedByOwner: proxy.filedByOwner,
    revokedAt: iso(proxy.revokedAt),
    revokedReason: proxy.revokedReason,
    createdAt: proxy.createdAt.toISOString(),
  }
}

export const AttendanceRecordSchema = t.Object({
  id: Uuid,
  unitId: Uuid,
  unitNumber: t.String(),
  finca: t.Nullable(t.String()),
  personId: t.Nullable(Uuid),
  personName: t.Nullable(t.String()),
  proxyId: t.Nullable(Uuid, { description: 'Set when the person attends as proxy holder' }),
  mode: AttendanceMode,
  checkedInAt: Timestamp,
  checkedOutAt: t.Nullable(Timestamp),
})

export function attendanceView(record: AttendanceRecord) {
  return {
    ...record,
    checkedInAt: record.checkedInAt.toISOString(),
    checkedOutAt: iso(record.checkedOutAt),
  }
}

const RevokedProxySchema = t.Object({
  proxyId: Uuid,
  unitId: Uuid,
  unitNumber: t.String(),
  holder: t.Object({ personId: Uuid, fullName: t.String() }),
  reason: t.String(),
  revokedAt: Timestamp,
})

export const CheckInResultSchema = t.Object({
  checkedIn: t.Array(AttendanceRecordSchema),
  alreadyPresent: t.Array(AttendanceRecordSchema, {
    description: 'Units this person had already checked in (left as they were)',
  }),
  revokedProxies: t.Array(RevokedProxySchema, {
    description: 'Proxies revoked because their owner checked in personally; their holders are told',
  }),
  quorum: LiveQuorumSchema,
})

export function checkInResultView(result: CheckInResult) {
  return {
    checkedIn: result.checkedIn.map(attendanceView),
    alreadyPresent: result.alreadyPresent.map(attendanceView),
    revokedProxies: result.revokedProxies.map((event) => ({
      proxyId: event.proxyId,
      unitId: event.unitId,
      unitNumber: event.unitNumber,
      holder: { personId: event.holder.personId, fullName: event.holder.fullName },
      reason: event.reason,
      revokedAt: event.revokedAt.toISOString(),
    })),
    quorum: result.quorum,
  }
}
