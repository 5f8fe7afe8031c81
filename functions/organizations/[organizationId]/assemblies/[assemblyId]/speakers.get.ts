import { Elysia, t } from 'elysia'
import { listSpeakerRequests } from '../../../../../core/assemblies/speakers.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { Uuid } from '../../_schemas.ts'
import { AssemblyParams } from '../_schemas.ts'
import { SpeakerRequestSchema, speakerRequestView, speakerTags } from './_speakers.ts'

/** The speaker queue of the current agenda item (or `agendaItemId`), and the caller's own open request. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, query, user }) => {
    const { agendaItemId, requests } = await listSpeakerRequests(s.db, {
      ...params,
      agendaItemId: query.agendaItemId,
      viewerUserId: user.id,
    })
    const mine = requests.find((request) => request.mine && ['waiting', 'speaking'].includes(request.status))
    return {
      agendaItemId,
      requests: requests.map(speakerRequestView),
      mine: mine ? { id: mine.id, status: mine.status } : null,
    }
  },
  {
    auth: 'member',
    params: AssemblyParams,
    query: t.Object({ agendaItemId: t.Optional(Uuid) }),
    response: {
      200: t.Object({
        agendaItemId: t.Nullable(Uuid),
        requests: t.Array(SpeakerRequestSchema),
        mine: t.Nullable(t.Object({ id: Uuid, status: t.String() })),
      }),
      404: ErrorResponse,
    },
    detail: {
      summary: 'Show the speaker queue',
      description: 'In queue order: who spoke, who has the floor, who waits; then withdrawn and skipped.',
      tags: speakerTags,
    },
  },
)
