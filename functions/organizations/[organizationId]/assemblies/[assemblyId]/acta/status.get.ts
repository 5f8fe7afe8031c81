import { Elysia } from 'elysia'
import { getActaState } from '../../../../../../core/acta/lifecycle.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { AssemblyParams } from '../../../motions/_schemas.ts'
import { ActaStateSchema, actaStateView, actaTags } from './_schemas.ts'

/** Where the acta is in its life: draft, reviewed or final, the sign-offs and the record's hash. */
export default new Elysia()
  .use(auth)
  .get('', async ({ services: s, params }) => actaStateView(await getActaState(s.db, params)), {
    auth: 'member',
    params: AssemblyParams,
    response: { 200: ActaStateSchema, 404: ErrorResponse },
    detail: { summary: 'The acta’s status, sign-offs and hash', tags: actaTags },
  })
