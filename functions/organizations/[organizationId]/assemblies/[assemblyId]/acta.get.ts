import { Elysia, t } from 'elysia'
import { buildActa, renderActaHtml, renderActaPdf } from '../../../../../core/acta/index.ts'
import { getActaState } from '../../../../../core/acta/lifecycle.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse, Language } from '../../../../_lib/schemas.ts'
import { AssemblyParams } from '../../motions/_schemas.ts'

/**
 * The acta (minutes) of an assembly with every item of Ley 284 art. 71, as printable HTML or PDF, marked
 * as a draft until both officers signed (then with their sign-offs and the record's SHA-256).
 */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, query, set }) => {
    const model = await buildActa(s.db, { ...params, amendsBylaws: query.amendsBylaws === 'true' })
    const seal = await getActaState(s.db, params)
    const options = { language: query.language, seal }
    if (query.format === 'pdf') {
      set.headers['content-type'] = 'application/pdf'
      set.headers['content-disposition'] = `attachment; filename="acta-${model.acta.number}.pdf"`
      return renderActaPdf(model, options)
    }
    set.headers['content-type'] = 'text/html; charset=utf-8'
    return renderActaHtml(model, options)
  },
  {
    auth: 'member',
    params: AssemblyParams,
    query: t.Object({
      format: t.Optional(t.Union([t.Literal('html'), t.Literal('pdf')], { default: 'html' })),
      language: t.Optional(Language),
      amendsBylaws: t.Optional(
        t.Union([t.Literal('true'), t.Literal('false')], {
          description: 'true lists each attendee’s coefficient (art. 71.4, by-law amendments)',
        }),
      ),
    }),
    response: {
      200: t.Union([t.String(), t.Uint8Array()], { description: 'text/html or application/pdf' }),
      404: ErrorResponse,
      422: ErrorResponse,
    },
    detail: {
      summary: 'The acta of an assembly (HTML or PDF)',
      description: 'Language: `language`, else the PH’s (Spanish by default).',
      tags: ['acta'],
    },
  },
)
