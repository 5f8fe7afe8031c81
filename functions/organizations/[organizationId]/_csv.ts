import { t } from 'elysia'

/** The language of a CSV export's headers; absent: the PH's language. */
export const CsvQuery = t.Object({
  lang: t.Optional(t.Union([t.Literal('es'), t.Literal('en')], { description: 'Header language' })),
})

/** A download header for a file name made of a slug and a date (ASCII, so no encoding is needed). */
export function csvDisposition(fileName: string): string {
  return `attachment; filename="${fileName.replace(/[^A-Za-z0-9._-]/g, '-')}"`
}
