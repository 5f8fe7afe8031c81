import { Elysia, t } from 'elysia'
import { moderateSpeaker } from '../../../../../../core/assemblies/speakers.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { Uuid } from '../../../_schemas.ts'
import { assemblyDeps } from '../../_deps.ts'
import { SpeakerRequestSchema, speakerRequestView, speakerTags } from '../_speakers.ts'

/** The administrator gives the floor (ending whoever speaks), skips a waiting request, or ends a speech. */
export default new Elysia().use(auth).patch(
  '',
  async ({ services: s, params, body, user }) => {
    const request = await moderateSpeaker(
      s.db,
      { ...params, action: body.action, actor: { userId: user.id } },
      assemblyDeps(s),
    )
    return speakerRequestView(request)
  },
  {
    auth: 'ph-admin',
    params: t.Object({ organizationId: Uuid, assemblyId: Uuid, requestId: Uuid }),
    body: t.Object(
      { action: t.Union([t.Literal('floor'), t.Literal('skip'), t.Literal('end')]) },
      { additionalProperties: false },
    ),
    response: { 200: SpeakerRequestSchema, 404: ErrorResponse, 409: ErrorResponse },
    detail: {
      summary: 'Give the floor, skip, or end a speech',
      description:
        'floor: to a waiting request (the current speaker, if any, is ended: one at a time); skip: a waiting request; end: the current speaker. Errors: 404 not_found, 409 request_not_waiting, 409 not_speaking, 409 assembly_not_in_progress.',
      tags: speakerTags,
    },
  },
)
