import { Elysia } from 'elysia'
import { getAssembly } from '../../../../core/assemblies/index.ts'
import { auth } from '../../../_lib/auth.ts'
import { AppError } from '../../../_lib/errors.ts'
import { ErrorResponse } from '../../../_lib/schemas.ts'
import { AssemblyParams, AssemblySchema, assemblyTags, assemblyView } from './_schemas.ts'

/** One assembly: its call, rule, officers and status. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params }) => {
    const assembly = await getAssembly(s.db, params)
    if (!assembly) throw new AppError(404, 'not_found', 'Assembly not found', { resource: 'Assembly' })
    return assemblyView(assembly)
  },
  {
    auth: 'member',
    params: AssemblyParams,
    response: { 200: AssemblySchema, 404: ErrorResponse },
    detail: { summary: 'Show an assembly', tags: assemblyTags },
  },
)
