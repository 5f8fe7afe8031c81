import { Elysia } from 'elysia'
import { computeQuorum } from '../../../../../core/assemblies/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { AssemblyParams, attendanceTags, LiveQuorumSchema } from '../_schemas.ts'

/** The live quorum: present share by coefficient and by units against the rule of the current call. */
export default new Elysia()
  .use(auth)
  .get('', async ({ services: s, params }) => computeQuorum(s.db, params), {
    auth: 'member',
    params: AssemblyParams,
    response: { 200: LiveQuorumSchema, 404: ErrorResponse },
    detail: { summary: 'Show the live quorum of an assembly', tags: attendanceTags },
  })
