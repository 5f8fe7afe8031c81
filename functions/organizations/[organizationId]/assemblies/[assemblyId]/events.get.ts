import { Elysia, t } from 'elysia'
import { listAssemblyEvents } from '../../../../../core/assemblies/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { AssemblyEventSchema, AssemblyParams, assemblyEventView, assemblyTags } from '../_schemas.ts'

/** The assembly's call, start, suspensions, resumptions and end, in time order (for the acta). */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params }) => ({
    events: (await listAssemblyEvents(s.db, params)).map(assemblyEventView),
  }),
  {
    auth: 'member',
    params: AssemblyParams,
    response: { 200: t.Object({ events: t.Array(AssemblyEventSchema) }), 404: ErrorResponse },
    detail: { summary: 'List the events of an assembly', tags: assemblyTags },
  },
)
