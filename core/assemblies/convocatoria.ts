import type { organizations } from '../../db/schema/index.ts'
import type { Assembly } from './types.ts'

type Organization = typeof organizations.$inferSelect

/** Fields of the notice the law asks for (Ley 284), in the order the admin console shows them. */
export type CallField =
  | 'title'
  | 'location'
  | 'meetingUrl'
  | 'secondCallAt'
  | 'convenedBy'
  | 'convenerPosition'
  | 'agenda'

/**
 * What the notice still lacks: place (in person, mixed), video link (remote, mixed), who convenes and
 * their position, at least one agenda item, and the second call time when the quorum rule allows a
 * meeting at a second call. Class of meeting and first call date always exist.
 */
export function missingCallFields(assembly: Assembly, agendaItems: number): CallField[] {
  const missing: CallField[] = []
  if (!assembly.title.trim()) missing.push('title')
  if (assembly.modality !== 'remote' && !assembly.location) missing.push('location')
  if (assembly.modality !== 'in_person' && !assembly.meetingUrl) missing.push('meetingUrl')
  if (assembly.quorumRule.secondCall && !assembly.secondCallAt) missing.push('secondCallAt')
  if (!assembly.convenedBy) missing.push('convenedBy')
  if (!assembly.convenerPosition) missing.push('convenerPosition')
  if (agendaItems === 0) missing.push('agenda')
  return missing
}

export interface NoticeWindow {
  /** Whole calendar days from the notice date to the first call, in the PH's time zone. */
  days: number
  min: number
  max: number
  inside: boolean
}

/** Calendar date (YYYY-MM-DD) of `at` in `timeZone`. */
function calendarDate(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at)
}

/**
 * Calendar days between the notice (`noticeAt`) and the first call, against the PH's window for the
 * class of meeting (ordinary 10–20 by default, extraordinary 3–5).
 */
export function noticeWindowOf(
  assembly: Pick<Assembly, 'kind' | 'firstCallAt'>,
  organization: Pick<
    Organization,
    | 'timeZone'
    | 'noticeOrdinaryMinDays'
    | 'noticeOrdinaryMaxDays'
    | 'noticeExtraordinaryMinDays'
    | 'noticeExtraordinaryMaxDays'
  >,
  noticeAt: Date,
): NoticeWindow {
  const day = (at: Date) => Date.parse(`${calendarDate(at, organization.timeZone)}T00:00:00Z`)
  const days = Math.round((day(assembly.firstCallAt) - day(noticeAt)) / 86_400_000)
  const [min, max] =
    assembly.kind === 'ordinary'
      ? [organization.noticeOrdinaryMinDays, organization.noticeOrdinaryMaxDays]
      : [organization.noticeExtraordinaryMinDays, organization.noticeExtraordinaryMaxDays]
  return { days, min, max, inside: days >= min && days <= max }
}
