import { Elysia } from 'elysia'
import { publishedToOwners } from '../../../../../core/communications/overview.ts'
import { PublishedSchema } from '../../../../../core/communications/schemas.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { AssemblyParams } from '../_schemas.ts'

/** What the owners can read after the meeting: the summary of the decisions and, once sent, the acta. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params }) => {
    const published = await publishedToOwners(s.db, params)
    return {
      summary: published.summary && { ...published.summary, sentAt: published.summary.sentAt.toISOString() },
      acta: published.acta && { sentAt: published.acta.sentAt.toISOString() },
    }
  },
  {
    auth: 'member',
    params: AssemblyParams,
    response: {
      200: PublishedSchema,
      404: ErrorResponse,
    },
    detail: { summary: 'The summary and acta sent to the owners', tags: ['communications'] },
  },
)
