import { Elysia } from 'elysia'
import { reviewActa } from '../../../../../../core/acta/lifecycle.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { AssemblyParams } from '../../../motions/_schemas.ts'
import { ActaStateSchema, actaStateView, actaTags } from './_schemas.ts'

/** The administration marks the draft acta as reviewed: the officers may then sign it. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, user }) => {
    const state = await reviewActa(s.db, { ...params, actor: { userId: user.id } })
    return actaStateView(state)
  },
  {
    auth: 'ph-admin',
    params: AssemblyParams,
    response: { 200: ActaStateSchema, 404: ErrorResponse, 409: ErrorResponse },
    detail: {
      summary: 'Mark the acta as reviewed',
      description: 'Errors: 409 acta_not_frozen (the assembly is not closed), 409 acta_final.',
      tags: actaTags,
    },
  },
)
