import { type SchemaOptions, type TNull, type TSchema, type TUnion, Type } from '@sinclair/typebox'

/*
 * The primitives of the shapes core owns (TypeBox, without Elysia): the routes validate with them, the
 * web client reads their static types (type-only imports).
 */

// The 'uuid' format also takes 'urn:uuid:…', which PostgreSQL refuses: the pattern keeps ids plain.
export const Uuid = Type.String({
  format: 'uuid',
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
})

/** A timestamp as every API answer writes it: ISO 8601. */
export const Timestamp = Type.String({ format: 'date-time' })

/** `schema` or null, marked `nullable` for the OpenAPI document (as Elysia's `t.Nullable`). */
export const Nullable = <T extends TSchema>(schema: T, options: SchemaOptions = {}): TUnion<[T, TNull]> =>
  Type.Union([schema, Type.Null()], { ...options, nullable: true })
