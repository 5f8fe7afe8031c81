import { Type } from '@sinclair/typebox'

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
