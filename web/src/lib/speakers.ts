import type { SpeakerRequestView } from '../../../core/assemblies/schemas.ts'
import { speakerMessages } from '../i18n/speakers.ts'
import { get, seg } from './api.ts'
import { translator } from './i18n.ts'

export const ts = translator<keyof typeof speakerMessages.es>(speakerMessages)

/** One request as GET …/speakers returns it. */
export type { SpeakerRequestView }

export type SpeakerStatus = SpeakerRequestView['status']

export interface SpeakerQueue {
  agendaItemId: string | null
  requests: SpeakerRequestView[]
  mine: { id: string; status: SpeakerStatus } | null
}

export const speakersPath = (organizationId: string, assemblyId: string, rest = '') =>
  `/organizations/${seg(organizationId)}/assemblies/${seg(assemblyId)}/speakers${rest}`

export const loadSpeakerQueue = (organizationId: string, assemblyId: string) =>
  get<SpeakerQueue>(speakersPath(organizationId, assemblyId))

const STATUS_KEYS = {
  waiting: 'statusWaiting',
  speaking: 'statusSpeaking',
  done: 'statusDone',
  withdrawn: 'statusWithdrawn',
  skipped: 'statusSkipped',
} as const

export const speakerStatusText = (status: SpeakerStatus) => ts(STATUS_KEYS[status])

/** "Ana Pérez · Unidad 1A, 1B" */
export const speakerLabel = (speaker: { name: string; units: string[] }) =>
  `${speaker.name} · ${ts('unitsOf', { units: speaker.units.join(', ') })}`
