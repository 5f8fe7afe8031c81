import { Elysia, status } from 'elysia'
import { getAssembly } from '../../../../../core/assemblies/index.ts'
import { getMotionResults, listMotions } from '../../../../../core/motions/index.ts'
import { AssemblyResultsSchema } from '../../../../../core/motions/schemas.ts'
import { withTenant } from '../../../../../db/tenant.ts'
import { auth } from '../../../../_lib/auth.ts'
import { errorBody } from '../../../../_lib/errors.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { AssemblyParams, motionTags, readsExactFigures, resultView } from '../../motions/_schemas.ts'

/** Every motion of an assembly in agenda order, with its frozen result once closed. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, membership }) => {
    const { organizationId } = params
    const assembly = await getAssembly(s.db, params)
    if (!assembly) return status(404, errorBody('not_found', 'Assembly not found'))
    const motions = await listMotions(s.db, params)
    const results = await withTenant(s.db, organizationId, (tx) =>
      getMotionResults(
        tx,
        organizationId,
        motions.map((motion) => motion.id),
      ),
    )
    return {
      assemblyId: assembly.id,
      motions: motions.map((motion) => {
        const result = results.get(motion.id)
        return {
          motionId: motion.id,
          position: motion.position,
          title: motion.title,
          status: motion.status,
          result: result ? resultView(result, readsExactFigures(membership)) : null,
        }
      }),
    }
  },
  {
    auth: 'member',
    params: AssemblyParams,
    response: {
      200: AssemblyResultsSchema,
      404: ErrorResponse,
    },
    detail: { summary: 'The results of every motion of an assembly', tags: motionTags },
  },
)
