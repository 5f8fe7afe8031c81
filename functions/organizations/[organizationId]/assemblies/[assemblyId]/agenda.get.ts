import { Elysia } from 'elysia'
import { listAgendaItems } from '../../../../../core/assemblies/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { AgendaSchema, AssemblyParams, agendaView, assemblyTags } from '../_schemas.ts'

/** The agenda of an assembly, in order. */
export default new Elysia()
  .use(auth)
  .get('', async ({ services: s, params }) => agendaView(await listAgendaItems(s.db, params)), {
    auth: 'member',
    params: AssemblyParams,
    response: { 200: AgendaSchema, 404: ErrorResponse },
    detail: { summary: 'Show the agenda of an assembly', tags: assemblyTags },
  })
