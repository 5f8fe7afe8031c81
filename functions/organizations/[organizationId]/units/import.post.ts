import { Elysia, t } from 'elysia'
import { importUnits } from '../../../../core/ph/index.ts'
import { readLimited } from '../../../_lib/app.ts'
import { auth } from '../../../_lib/auth.ts'
import { AppError } from '../../../_lib/errors.ts'
import { ErrorResponse } from '../../../_lib/schemas.ts'
import { ImportModeSchema, ImportReportSchema, OrganizationParams } from '../_schemas.ts'

const CSV_TYPES = ['text/csv', 'text/plain']

/**
 * Imports the roster (units and their owners) from a CSV file sent as the raw body, all or nothing.
 * The body is read here with the request size limit, whatever the headers claim.
 */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, query, body, request, user }) => {
    const contentType = request.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() ?? ''
    if (!CSV_TYPES.includes(contentType)) {
      throw new AppError(415, 'unsupported_media_type', `Send the file as ${CSV_TYPES.join(' or ')}`, {
        accepted: CSV_TYPES,
      })
    }
    const dryRun = query.dryRun ?? false
    const report = await importUnits(
      s.db,
      { ...params, csv: body, dryRun, mode: query.mode ?? 'update', actor: { userId: user.id } },
      { changes: s.changes },
    )
    return report
  },
  {
    auth: 'ph-admin',
    // Any body but JSON (parsed by the app) arrives here as text, so the handler can answer 415 by type.
    parse: ({ request, services: s }) => readLimited(request, s.config.bodyLimitBytes),
    params: OrganizationParams,
    query: t.Object({
      dryRun: t.Optional(t.Boolean({ description: 'Report what would change; write nothing' })),
      mode: t.Optional(ImportModeSchema),
    }),
    body: t.String({ description: 'The CSV file: text/csv or text/plain, UTF-8' }),
    response: {
      200: ImportReportSchema,
      400: ErrorResponse,
      404: ErrorResponse,
      413: ErrorResponse,
      415: ErrorResponse,
      422: ErrorResponse,
    },
    detail: {
      summary: 'Import units and owners from CSV',
      description:
        'Body: the CSV file itself (Content-Type text/csv or text/plain; UTF-8, a BOM is fine), ' +
        'separated by ; or , with decimal comma or point. Columns: unit number, finca, coefficient, ' +
        'owner name, cédula, email, phone, up to date, co-owners ("Name <email> | Name"). Units are ' +
        'matched by number. `?mode=replace`: the file is the whole roster, sums to 100 %, units left ' +
        'out are deleted (refused for units with votes, attendance or proxies). `?mode=update` ' +
        '(default): units left out are kept and the PH must still sum to 100 %. `?dryRun=true` reports what would change (errors included) ' +
        'and writes nothing. Errors: 422 import_invalid (details: the report, each error with line and ' +
        'column; nothing was imported), 413 over BODY_LIMIT_BYTES, 415 another content type.',
      tags: ['units'],
    },
  },
)
