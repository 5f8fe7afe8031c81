import { Type } from '@sinclair/typebox'
import { Nullable } from '../schemas.ts'

/**
 * The shapes of rules as data, owned once here (TypeBox: validation, type and OpenAPI at once) and
 * reused by every route, the drizzle `$type`s and the web client's types.
 */

/** An exact fraction used as a threshold; `strict: true` means "more than", else "at least". */
export const ThresholdSchema = Type.Object(
  {
    numerator: Type.Integer({ minimum: 0 }),
    denominator: Type.Integer({ minimum: 1 }),
    strict: Type.Boolean({ description: 'true: more than; false: at least' }),
  },
  { additionalProperties: false },
)

const Words = Type.Object({ es: Type.String(), en: Type.String() })

/** A rule preset as people see it: display names, where its figure comes from, the confirmation note. */
export const PresetInfoSchema = Type.Object({
  code: Type.String(),
  source: Type.Object({
    kind: Type.Union([
      Type.Literal('text'),
      Type.Literal('secondary'),
      Type.Literal('client'),
      Type.Literal('bylaws'),
    ]),
    article: Nullable(Type.String()),
  }),
  label: Words,
  note: Nullable(Words),
  offered: Type.Boolean({ description: 'false: an earlier preset kept for stored meetings' }),
})

/** What a majority is measured in (core/rules/types.ts `Base`). */
export const BaseSchema = Type.Union([Type.Literal('coefficient'), Type.Literal('units')])

/** A majority rule (core/rules/types.ts `MajorityRule`). */
export const MajorityRuleSchema = Type.Object(
  {
    preset: Type.Optional(Type.String({ maxLength: 64 })),
    base: BaseSchema,
    denominator: Type.Union([Type.Literal('cast'), Type.Literal('present'), Type.Literal('eligible')]),
    threshold: Nullable(ThresholdSchema),
    abstentionsCount: Type.Boolean(),
    eligibleOnly: Type.Boolean(),
    countArrears: Type.Optional(
      Type.Boolean({
        description: "true: units in arrears vote and count whatever the PH's arrears setting says",
      }),
    ),
  },
  { additionalProperties: false },
)

/** A quorum rule (core/rules/types.ts `QuorumRule`). */
export const QuorumRuleSchema = Type.Object(
  {
    preset: Type.Optional(Type.String({ maxLength: 64 })),
    base: Type.Union(
      [Type.Literal('coefficient'), Type.Literal('units'), Type.Literal('owners'), Type.Literal('both')],
      {
        description:
          'owners: one head per owner however many units they hold; co-owners of a unit are one head. ' +
          'both: coefficient and units at once',
      },
    ),
    eligibleOnly: Type.Boolean({ description: 'Count only up-to-date units' }),
    firstCall: ThresholdSchema,
    secondCall: Nullable(ThresholdSchema, { description: 'null: no meeting at a second call' }),
    secondCallKind: Type.Optional(
      Type.Union([
        Type.Literal('new_convocatoria'),
        Type.Literal('bylaws_reduced'),
        Type.Literal('any_present'),
      ]),
    ),
    countArrears: Type.Optional(
      Type.Boolean({ description: "true: count units in arrears whatever the PH's arrears setting says" }),
    ),
  },
  { additionalProperties: false },
)
