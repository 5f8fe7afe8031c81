import { t } from 'elysia'

/**
 * An integer query parameter. Elysia coerces query numbers property by property and then reports
 * failures without the property's name; the title carries it so the error can name the field.
 */
export function queryInteger(name: string, range: { minimum: number; maximum: number }) {
  return t.Integer({ ...range, title: `query.${name}` })
}
