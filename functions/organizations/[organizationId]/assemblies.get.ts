import { Elysia, t } from 'elysia'
import { listAssemblies } from '../../../core/assemblies/index.ts'
import { auth } from '../../_lib/auth.ts'
import { ErrorResponse } from '../../_lib/schemas.ts'
import { OrganizationParams } from './_schemas.ts'
import { AssemblySchema, AssemblyStatus, assemblyTags, assemblyView } from './assemblies/_schemas.ts'

/** The PH's assemblies, newest acta first. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, query }) => ({
    assemblies: (await listAssemblies(s.db, { ...params, status: query.status })).map(assemblyView),
  }),
  {
    auth: 'member',
    params: OrganizationParams,
    query: t.Object({ status: t.Optional(AssemblyStatus) }),
    response: { 200: t.Object({ assemblies: t.Array(AssemblySchema) }), 404: ErrorResponse },
    detail: { summary: 'List the assemblies of a PH', tags: assemblyTags },
  },
)
