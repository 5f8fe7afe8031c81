import { Elysia, t } from 'elysia'
import { NoticeStatusSchema } from '../../../../../core/assemblies/schemas.ts'
import { noticeStatus, renderNotice } from '../../../../../core/mail/notice-view.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { AssemblyParams, assemblyTags } from '../_schemas.ts'

/**
 * The notice of meeting: `format=json` (default) says what is missing and how the date sits in the
 * PH's window, with every notice sent; `html`/`pdf` render the last notice sent (or a preview).
 */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, query, set }) => {
    if (query.format === 'html' || query.format === 'pdf') {
      const { body, number } = await renderNotice(s.db, { ...params, format: query.format })
      if (query.format === 'pdf') {
        set.headers['content-type'] = 'application/pdf'
        set.headers['content-disposition'] = `attachment; filename="convocatoria-${number}.pdf"`
      } else set.headers['content-type'] = 'text/html; charset=utf-8'
      return body
    }
    const status = await noticeStatus(s.db, params)
    return {
      ...status,
      notices: status.notices.map((notice) => ({
        id: notice.id,
        kind: notice.kind,
        changed: notice.changed,
        subject: notice.subject,
        text: notice.text,
        sentAt: notice.sentAt.toISOString(),
      })),
    }
  },
  {
    auth: 'ph-admin',
    params: AssemblyParams,
    query: t.Object({
      format: t.Optional(
        t.Union([t.Literal('json'), t.Literal('html'), t.Literal('pdf')], { default: 'json' }),
      ),
    }),
    response: {
      200: t.Union([NoticeStatusSchema, t.String(), t.Uint8Array()], {
        description: 'application/json, text/html or application/pdf',
      }),
      404: ErrorResponse,
    },
    detail: {
      summary: 'The notice of meeting: checks, notices sent, HTML or PDF',
      tags: assemblyTags,
    },
  },
)
