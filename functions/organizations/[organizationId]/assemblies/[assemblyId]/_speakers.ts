import { SpeakerRequestSchema } from '../../../../../core/assemblies/schemas.ts'
import type { SpeakerRequest } from '../../../../../core/assemblies/speakers.ts'

export const speakerTags = ['Speakers']

/** The request's shape is owned by core (core/assemblies/schemas.ts). */
export { SpeakerRequestSchema }

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
