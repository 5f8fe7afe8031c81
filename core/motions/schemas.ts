import { type Static, Type } from '@sinclair/typebox'
import { BaseSchema, MajorityRuleSchema, PresetInfoSchema, ThresholdSchema } from '../rules/schemas.ts'
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
  receiptCode: Type.String({
    description:
      'Shown once (printed for the owner at the desk); keep it to check the public receipt list, which shows its hash',
  }),
  receiptHash: Type.String(),
  sequence: Type.String(),
})
export type VoteReceipt = Static<typeof VoteReceiptSchema>

/** What the desk gets back for the ballots it records: a receipt per accepted unit, the refusals. */
export const DeskBallotsResultSchema = Type.Object({
  accepted: Type.Array(VoteReceiptSchema),
  refused: Type.Array(Type.Object({ unitId: Type.String(), code: Type.String(), message: Type.String() })),
})
export type DeskBallotsResult = Static<typeof DeskBallotsResultSchema>

// Secret motions: coefficients rounded to 0.1 % or withheld (null) for anyone but an auditor.
const Coefficient = Nullable(Type.String(), {
  description: 'Percent; null when withheld to keep a ballot secret',
})
const Count = Type.Object({ units: Type.Integer(), coefficient: Coefficient })
const Row = Type.Object({ units: Type.Integer(), coefficient: Coefficient, upToDate: Count })
const Outcome = Type.Union([
  Type.Literal('approved'),
  Type.Literal('rejected'),
  Type.Literal('tie'),
  Type.Literal('no_votes'),
])

/** What a result snapshot's hash covers: the frozen electorate, the totals and the decision. */
export const ResultBodySchema = Type.Object({
  electorate: Type.Array(
    Type.Object({
      unitId: Uuid,
      number: Type.String(),
      coefficient: Type.String(),
      upToDate: Type.Boolean(),
      attending: Type.Boolean(),
      voted: Nullable(Type.Boolean(), { description: 'null: withheld for a secret motion' }),
    }),
  ),
  totals: Type.Object({
    closedAt: Type.String(),
    quorumLostDuringVote: Type.Optional(
      Type.Literal(true, { description: 'The quorum was lost while the motion was open (someone left)' }),
    ),
    motion: Type.Object({
      title: Type.String(),
      options: Type.Array(MotionOptionSchema),
      choiceMode: ChoiceModeSchema,
      secret: Type.Boolean(),
    }),
    election: Type.Optional(
      Type.Object(
        {
          seats: Type.Integer(),
          candidates: Type.Array(
            Type.Object({
              key: Type.String(),
              rank: Type.Integer({ description: '1 = most weight; equal weights share a rank' }),
              elected: Type.Union([Type.Boolean(), Type.Literal('tie')], {
                description: "'tie': tied for the last seat, not elected until the assembly settles it",
              }),
            }),
          ),
        },
        { description: 'Elections only: who is elected (Electo/a) and who ties' },
      ),
    ),
    tally: Type.Object({
      options: Type.Array(Type.Composite([Row, Type.Object({ key: Type.String() })])),
      cast: Row,
      abstained: Row,
      present: Row,
      eligible: Row,
      notVoted: Row,
    }),
    majority: Type.Object({
      outcome: Outcome,
      winningOption: Nullable(Type.String()),
      decidingOption: Type.String(),
      base: BaseSchema,
      numerator: Nullable(Type.String()),
      denominator: Nullable(Type.String()),
      percent: Nullable(Type.String()),
      threshold: Nullable(ThresholdSchema),
    }),
    receipts: Type.Array(Type.String()),
  }),
  majorityRule: MajorityRuleSchema,
  outcome: Outcome,
  explanation: Type.String(),
  protected: Type.Optional(
    Type.Boolean({
      description: 'true: a secret motion, figures rounded or withheld (exact for auditors only)',
    }),
  ),
})

export const MotionResultSchema = Type.Composite([
  Type.Object({
    snapshotId: Uuid,
    assemblyId: Uuid,
    motionId: Uuid,
    sequence: Type.Integer(),
    previousHash: Nullable(Type.String()),
    hash: Type.String(),
    createdAt: Timestamp,
  }),
  ResultBodySchema,
])
export type MotionResultView = Static<typeof MotionResultSchema>
