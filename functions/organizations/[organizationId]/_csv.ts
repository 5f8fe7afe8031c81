import { t } from 'elysia'

/** The language of a CSV export's headers; absent: the PH's language. */
export const CsvQuery = t.Object({
  lang: t.Optional(t.Union([t.Literal('es'), t.Literal('en')], { description: 'Header language' })),
})

/**
 * Answers with a CSV export: its type and a download header for its file name, made of a slug and a
 * date (ASCII, so no encoding is needed).
 */
export function csvDownload(
  set: { headers: Record<string, string | number> },
  file: { fileName: string; csv: string },
): string {
  set.headers['content-type'] = 'text/csv; charset=utf-8'
  set.headers['content-disposition'] =
    `attachment; filename="${file.fileName.replace(/[^A-Za-z0-9._-]/g, '-')}"`
  return file.csv
}
