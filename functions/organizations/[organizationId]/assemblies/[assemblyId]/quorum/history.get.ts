import { Elysia, t } from 'elysia'
import { quorumHistory } from '../../../../../../core/assemblies/index.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { AssemblyParams, attendanceTags, QuorumLogEntrySchema, quorumLogEntryView } from '../../_schemas.ts'

/** The quorum over time, oldest first: every attendance change and call, as the acta records it. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params }) => ({
    entries: (await quorumHistory(s.db, params)).map(quorumLogEntryView),
  }),
  {
    auth: 'member',
    params: AssemblyParams,
    response: { 200: t.Object({ entries: t.Array(QuorumLogEntrySchema) }), 404: ErrorResponse },
    detail: { summary: 'Show the quorum log of an assembly', tags: attendanceTags },
  },
)
