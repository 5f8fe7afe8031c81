import { Elysia } from 'elysia'
import { sendActa } from '../../../../../../core/communications/decisions.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { AssemblyParams } from '../../_schemas.ts'
import { CommunicationSchema, communicationTags } from './_schemas.ts'
import { startAdminSend } from './_send.ts'

/** Sends the acta to the owners: email with a link and the PDF, a link to linked chats. The answer comes at once (see startAdminSend). */
export default new Elysia()
  .use(auth)
  .post('', ({ services: s, params, user }) => startAdminSend(sendActa, s, params, user.id), {
    auth: 'ph-admin',
    params: AssemblyParams,
    response: { 200: CommunicationSchema, 404: ErrorResponse, 409: ErrorResponse },
    detail: {
      summary: 'Sends the acta to the owners: email with a link and the PDF, a link to linked chats.',
      description: 'Errors: 409 acta_not_ready.',
      tags: communicationTags,
    },
  })
