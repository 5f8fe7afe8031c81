import { Elysia } from 'elysia'
import { withdrawSpeakerRequest } from '../../../../../../core/assemblies/speakers.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { assemblyDeps } from '../../_deps.ts'
import { AssemblyParams } from '../../_schemas.ts'
import { SpeakerRequestSchema, speakerRequestView, speakerTags } from '../_speakers.ts'

/** The signed-in person withdraws their waiting request on the current agenda item. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, user }) => {
    const request = await withdrawSpeakerRequest(
      s.db,
      { ...params, actor: { userId: user.id } },
      assemblyDeps(s),
    )
    return speakerRequestView(request)
  },
  {
    auth: 'member',
    params: AssemblyParams,
    response: { 200: SpeakerRequestSchema, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
    detail: {
      summary: 'Withdraw a request to speak',
      description: 'Errors: 403 not_an_attendee, 409 request_not_waiting.',
      tags: speakerTags,
    },
  },
)
