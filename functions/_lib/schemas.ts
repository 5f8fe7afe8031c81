import { t } from 'elysia'

/** The JSON error shape, for route `response` declarations. */
export const ErrorResponse = t.Object({
  error: t.Object({
    code: t.String(),
    message: t.String(),
    details: t.Optional(t.Unknown()),
    requestId: t.Optional(t.String()),
  }),
})

export const Email = t.String({ format: 'email', maxLength: 254 })

export const Language = t.Union([t.Literal('es'), t.Literal('en')])

/**
 * An integer query parameter. Elysia coerces query numbers property by property and then reports
 * failures without the property's name; the title carries it so the error can name the field.
 */
export function queryInteger(name: string, range: { minimum: number; maximum: number }) {
  return t.Integer({ ...range, title: `query.${name}` })
}
