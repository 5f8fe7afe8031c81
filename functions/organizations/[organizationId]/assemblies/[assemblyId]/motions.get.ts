import { Elysia, status, t } from 'elysia'
import { getAssembly } from '../../../../../core/assemblies/index.ts'
import { listMotions } from '../../../../../core/motions/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { errorBody } from '../../../../_lib/errors.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { AssemblyParams, MotionSchema, motionTags, motionView } from '../../motions/_schemas.ts'

/** The motions of an assembly in agenda order. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params }) => {
    const assembly = await getAssembly(s.db, params)
    if (!assembly) return status(404, errorBody('not_found', 'Assembly not found'))
    const motions = await listMotions(s.db, params)
    return { motions: motions.map(motionView) }
  },
  {
    auth: 'member',
    params: AssemblyParams,
    response: { 200: t.Object({ motions: t.Array(MotionSchema) }), 404: ErrorResponse },
    detail: { summary: 'List the motions of an assembly', tags: motionTags },
  },
)
