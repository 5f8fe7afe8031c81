import { Elysia, status, t } from 'elysia'
import { errorBody } from '../_lib/errors.ts'
import { services } from '../_lib/services.ts'

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  )

/**
 * DEVELOPMENT ONLY: the messages the dev mailer kept instead of sending (no SMTP configured).
 * Does not exist in production (404 like any unknown route) nor when SMTP is configured.
 */
export default new Elysia().use(services).get(
  '',
  ({ services: s, query, set }) => {
    if (s.config.env === 'production' || s.mailer.kind !== 'dev') {
      return status(404, errorBody('not_found', 'No route for GET /api/dev/mailbox'))
    }
    const messages = s.mailer.recent()
    if (query.format === 'json') return { messages }
    set.headers['content-type'] = 'text/html; charset=utf-8'
    const items = messages
      .map(
        (m) =>
          `<article><h2>${escapeHtml(m.subject)}</h2><p>To ${escapeHtml(m.to)} · ${escapeHtml(m.at)}</p><pre>${escapeHtml(m.text)}</pre></article>`,
      )
      .join('')
    return `<!doctype html><html lang="es"><meta charset="utf-8"><title>DEV mailbox</title>
<body style="font-family:system-ui;margin:2rem"><p role="alert" style="background:#b00020;color:#fff;padding:1rem;font-weight:bold">
SOLO DESARROLLO / DEVELOPMENT ONLY — estos correos no se enviaron (no SMTP configured)</p>${items || '<p>(vacío / empty)</p>'}</body></html>`
  },
  {
    query: t.Object({ format: t.Optional(t.Literal('json')) }),
    detail: { summary: 'Development mailbox (not in production)', tags: ['development'] },
  },
)
