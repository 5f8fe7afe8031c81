import { Elysia } from 'elysia'
import { sendSummary } from '../../../../../../core/communications/decisions.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { AssemblyParams } from '../../_schemas.ts'
import { CommunicationSchema, communicationTags } from './_schemas.ts'
import { startAdminSend } from './_send.ts'

/** Sends (or sends again) the summary of the decisions to every unit (art. 71), from the frozen acta. The answer comes at once (see startAdminSend). */
export default new Elysia()
  .use(auth)
  .post('', ({ services: s, params, user }) => startAdminSend(sendSummary, s, params, user.id), {
    auth: 'ph-admin',
    params: AssemblyParams,
    response: { 200: CommunicationSchema, 404: ErrorResponse, 409: ErrorResponse },
    detail: {
      summary:
        'Sends (or sends again) the summary of the decisions to every unit (art. 71), from the frozen acta.',
      description: 'Errors: 409 assembly_not_closed.',
      tags: communicationTags,
    },
  })
