import { t } from 'elysia'
import { BallotsSchema, MAX_MOTION_OPTIONS } from '../../../../core/motions/ballot-schema.ts'
import type { Motion, MotionResult, ResultBody } from '../../../../core/motions/index.ts'
import {
  ChoiceModeSchema,
  MotionOptionSchema,
  MotionResultSchema,
  MotionSchema,
  ResultBodySchema,
} from '../../../../core/motions/schemas.ts'
import { publishResult } from '../../../../core/motions/secret-publication.ts'
import { majorityPresetInfo } from '../../../../core/rules/preset-catalog.ts'
import { MajorityRuleSchema } from '../../../../core/rules/schemas.ts'
import { Uuid } from '../_schemas.ts'

export { Uuid }

/*
 * Schemas shared by the motion, vote and result routes: the `t` schemas are the validation, the types
 * and the OpenAPI document at once, so each shape is written here once.
 */

export const motionTags = ['motions']

export { AssemblyParams } from '../assemblies/_schemas.ts'
export const MotionParams = t.Object({ organizationId: Uuid, motionId: Uuid })

// The motion's shapes are owned by core (core/rules/schemas.ts, core/motions/schemas.ts).
export const MajorityRule = MajorityRuleSchema
const ChoiceMode = ChoiceModeSchema
export const MotionOption = MotionOptionSchema

/** The fields of core/motions' MotionDefinitionInput, plus the position in the agenda. */
const definitionFields = {
  description: t.Optional(t.Nullable(t.String({ maxLength: 10_000 }))),
  agendaItemId: t.Optional(t.Nullable(Uuid)),
  // Not nullable: a union would hide which option failed (body.options instead of body.options.0.key).
  options: t.Optional(
    t.Array(MotionOption, {
      minItems: 1,
      maxItems: MAX_MOTION_OPTIONS,
      description: 'Absent on create: yes / no / abstain in the PH’s language',
    }),
  ),
  choiceMode: t.Optional(ChoiceMode),
  secret: t.Optional(t.Boolean()),
  majorityRule: t.Optional(
    t.Union([t.String({ minLength: 1, maxLength: 64, description: 'A preset name' }), MajorityRule]),
  ),
  requiresQuorum: t.Optional(t.Boolean()),
  seats: t.Optional(
    t.Nullable(
      t.Integer({
        minimum: 1,
        maximum: 50,
        description:
          'An election: seats to fill; each voter chooses up to this many candidates (the options)',
      }),
    ),
  ),
  position: t.Optional(t.Integer({ minimum: 1, maximum: 100_000 })),
}
const Title = t.String({ minLength: 1, maxLength: 300 })

export const CreateMotionBody = t.Object(
  { title: Title, ...definitionFields },
  { additionalProperties: false },
)

/** An edit: absent fields keep their value; at least one field. */
export const UpdateMotionBody = t.Object(
  { title: t.Optional(Title), ...definitionFields },
  { additionalProperties: false, minProperties: 1 },
)

export { MotionSchema }

/** A stored motion as the API shows it (timestamps as ISO 8601). */
export function motionView(motion: Motion) {
  return {
    id: motion.id,
    assemblyId: motion.assemblyId,
    agendaItemId: motion.agendaItemId,
    position: motion.position,
    title: motion.title,
    description: motion.description,
    options: motion.options,
    choiceMode: motion.choiceMode,
    secret: motion.secret,
    majorityRule: motion.majorityRule,
    majorityRuleInfo: majorityPresetInfo(motion.majorityRule.preset),
    requiresQuorum: motion.requiresQuorum,
    seats: motion.seats,
    status: motion.status,
    openedAt: motion.openedAt?.toISOString() ?? null,
    closedAt: motion.closedAt?.toISOString() ?? null,
    createdAt: motion.createdAt.toISOString(),
  }
}

/** The one ballot shape of every channel (core/motions/ballot-schema.ts). */
export const Ballots = BallotsSchema

// The result's shapes are owned by core (core/motions/schemas.ts).
export { MotionResultSchema, ResultBodySchema }

/**
 * The body of a result, without anything else a caller may have attached. A secret motion's figures
 * are rounded or withheld unless the reader is an auditor (`exact`).
 */
export function resultBodyView(body: ResultBody, reader: { exact: boolean }) {
  const shown = publishResult(body, reader)
  return {
    electorate: shown.electorate,
    totals: shown.totals,
    majorityRule: shown.majorityRule,
    outcome: shown.outcome,
    explanation: shown.explanation,
    protected: shown.protected,
  }
}

/** Whether this member reads a secret motion's exact figures: auditors only. */
export function readsExactFigures(membership: { roles: readonly string[] } | null): { exact: boolean } {
  return { exact: membership?.roles.includes('auditor') ?? false }
}

/** A stored result as the API shows it (timestamps as ISO 8601). */
export function resultView(result: MotionResult, reader: { exact: boolean }) {
  return {
    snapshotId: result.snapshotId,
    assemblyId: result.assemblyId,
    motionId: result.motionId,
    sequence: result.sequence,
    previousHash: result.previousHash,
    hash: result.hash,
    createdAt: result.createdAt.toISOString(),
    ...resultBodyView(result, reader),
  }
}

/** An open motion's running tally (core/motions/running-tally.ts): counts null while sealed. */
export const RunningTallySchema = t.Object({
  motionId: Uuid,
  status: t.Literal('open'),
  sealed: t.Boolean({ description: 'true: only turnout until the close' }),
  turnout: t.Object({ voted: t.Integer(), eligible: t.Integer() }),
  counts: t.Nullable(t.Array(t.Object({ key: t.String(), units: t.Integer(), coefficient: t.String() }))),
})
