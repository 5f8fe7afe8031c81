import { t } from 'elysia'
import type { SpeakerRequest } from '../../../../../core/assemblies/speakers.ts'
import { Timestamp, Uuid } from '../../_schemas.ts'

export const speakerTags = ['Speakers']

export const SpeakerRequestSchema = t.Object({
  id: Uuid,
  agendaItemId: Uuid,
  name: t.String(),
  unitNumbers: t.Array(t.String()),
  status: t.Union([
    t.Literal('waiting'),
    t.Literal('speaking'),
    t.Literal('done'),
    t.Literal('withdrawn'),
    t.Literal('skipped'),
  ]),
  requestedAt: Timestamp,
  startedAt: t.Nullable(Timestamp),
  endedAt: t.Nullable(Timestamp),
})

/** A request as the API shows it: no person ids (names and units are what the hall sees anyway). */
export function speakerRequestView(request: SpeakerRequest) {
  return {
    id: request.id,
    agendaItemId: request.agendaItemId,
    name: request.name,
    unitNumbers: request.unitNumbers,
    status: request.status,
    requestedAt: request.requestedAt.toISOString(),
    startedAt: request.startedAt?.toISOString() ?? null,
    endedAt: request.endedAt?.toISOString() ?? null,
  }
}
