import { type Static, Type } from '@sinclair/typebox'
import { MajorityRuleSchema, PresetInfoSchema } from '../rules/schemas.ts'
import { Nullable, Timestamp, Uuid } from '../schemas.ts'
import { OPTION_KEY_PATTERN } from './ballot-schema.ts'

/*
 * The answers of the motion and vote routes, owned once here (TypeBox, without Elysia): the routes
 * validate and document with them, the web client reads their static types.
 */

const OptionKind = Type.Union([
  Type.Literal('yes'),
  Type.Literal('no'),
  Type.Literal('abstain'),
  Type.Literal('choice'),
])
export const ChoiceModeSchema = Type.Union([Type.Literal('single'), Type.Literal('multiple')])
const MotionStatus = Type.Union([Type.Literal('draft'), Type.Literal('open'), Type.Literal('closed')])

/** One option of a motion (core/rules/types.ts `MotionOption`). */
export const MotionOptionSchema = Type.Object(
  {
    key: Type.String({ pattern: OPTION_KEY_PATTERN }),
    label: Type.String({ minLength: 1, maxLength: 200 }),
    kind: OptionKind,
  },
  { additionalProperties: false },
)

/** A motion as the API shows it (timestamps as ISO 8601). */
export const MotionSchema = Type.Object({
  id: Uuid,
  assemblyId: Uuid,
  agendaItemId: Nullable(Uuid),
  position: Type.Integer(),
  title: Type.String(),
  description: Nullable(Type.String()),
  options: Type.Array(MotionOptionSchema),
  choiceMode: ChoiceModeSchema,
  secret: Type.Boolean(),
  majorityRule: MajorityRuleSchema,
  majorityRuleInfo: Nullable(PresetInfoSchema, { description: 'Display name and source of the rule' }),
  requiresQuorum: Type.Boolean(),
  seats: Nullable(Type.Integer(), { description: 'An election’s seats; null for other motions' }),
  status: MotionStatus,
  openedAt: Nullable(Timestamp),
  closedAt: Nullable(Timestamp),
  createdAt: Timestamp,
})
export type MotionView = Static<typeof MotionSchema>

const VoterRole = Type.Union([Type.Literal('owner'), Type.Literal('proxy')])

/** A unit the signed-in person may vote on a motion: as owner, or as holder of its proxy. */
export const VotableUnitSchema = Type.Object({
  unitId: Uuid,
  number: Type.String(),
  coefficient: Type.String(),
  upToDate: Type.Boolean(),
  present: Type.Boolean(),
  role: VoterRole,
  proxyId: Nullable(Uuid),
})
export type VotableUnit = Static<typeof VotableUnitSchema>

/** The receipt of one accepted ballot. */
export const VoteReceiptSchema = Type.Object({
  unitId: Uuid,
  unitNumber: Type.String(),
  role: VoterRole,
  proxyId: Nullable(Uuid),
  receiptCode: Type.String({ description: 'Shown once; keep it to check the public receipt list' }),
  receiptHash: Type.String(),
  sequence: Type.String(),
})
export type VoteReceipt = Static<typeof VoteReceiptSchema>
