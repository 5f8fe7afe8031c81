import { Elysia } from 'elysia'
import { requestToSpeak } from '../../../../../core/assemblies/speakers.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { assemblyDeps } from '../_deps.ts'
import { AssemblyParams } from '../_schemas.ts'
import { SpeakerRequestSchema, speakerRequestView, speakerTags } from './_speakers.ts'

/** The signed-in owner or proxy holder, present in the meeting, asks to speak on the current item. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, user }) => {
    const request = await requestToSpeak(s.db, { ...params, actor: { userId: user.id } }, assemblyDeps(s))
    return speakerRequestView(request)
  },
  {
    auth: 'member',
    params: AssemblyParams,
    response: { 200: SpeakerRequestSchema, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse },
    detail: {
      summary: 'Ask to speak',
      description:
        'Errors: 403 not_an_attendee, 409 speaker_not_present, 409 no_agenda_item, 409 already_requested, 409 assembly_not_in_progress.',
      tags: speakerTags,
    },
  },
)
