import { and, asc, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import {
  agendaItems,
  assemblies,
  assemblyEvents,
  assemblyNotices,
  organizations,
  quorumLog,
  units,
} from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { unitOwnerKey } from '../assemblies/quorum.ts'
import { type ActaSpeaker, withSpeakers } from '../assemblies/speakers.ts'
import { notFound } from '../ph/errors.ts'
import { countHeads } from '../rules/quorum.ts'
import type { Call, QuorumRule } from '../rules/types.ts'
import { aggregateAttendees, loadAttendanceRecords } from './attendees.ts'
import { type ActaProposal, loadProposals } from './proposals.ts'
import { loadFrozenActa, thawActa } from './record.ts'

export { type AttendanceRecord, loadAttendanceRecords } from './attendees.ts'
export type { ActaNominalVote, ActaProposal } from './proposals.ts'

/*
 * The acta (minutes) as data, with every item Ley 284 art. 71 asks for, numbered as in the article.
 * Renderers (HTML, PDF) only lay this out; nothing here is language-specific.
 */

export interface ActaAttendee {
  unitNumber: string
  finca: string | null
  /** Percent with 9 decimals; null unless the assembly amends the by-laws (art. 71.4). */
  coefficient: string | null
  owners: string[]
  /** Who attended for the unit (the owner, or the proxy holder). */
  attendee: string | null
  capacity: 'owner' | 'proxy'
  modes: ('in_person' | 'remote')[]
  checkedInAt: Date
  /** Null while still present (or when the meeting ended with the unit present). */
  checkedOutAt: Date | null
}

export interface ActaQuorumEntry {
  at: Date
  call: Call
  presentUnits: number
  totalUnits: number
  inPersonUnits: number
  remoteUnits: number
  presentCoefficient: string
  totalCoefficient: string
  presentOwners: number
  totalOwners: number
  reached: boolean
}

export interface ActaModel {
  generatedAt: Date
  amendsBylaws: boolean
  /** 71.1 */
  acta: { number: number; kind: 'ordinary' | 'extraordinary' }
  /** 71.2 */
  ph: {
    name: string
    legalName: string | null
    registryNumber: string | null
    taxId: string | null
    address: string | null
    timeZone: string
    locale: string
    language: string
  }
  /** 71.3 */
  meeting: {
    title: string
    modality: 'in_person' | 'remote' | 'mixed'
    location: string | null
    meetingUrl: string | null
    firstCallAt: Date
    secondCallAt: Date | null
    call: Call
    convenedBy: string | null
    /** Position of who convened (art. 71.3); absent in records frozen before it was kept. */
    convenerPosition?: string | null
    callText: string | null
    /**
     * Every notice (convocatoria) sent, oldest first: the first and each corrected one, transcribed into
     * the acta (art. 71.3). Records frozen before this field carry only `notice`, the last one.
     */
    notices?: { sentAt: Date; subject: string; text: string; corrected: boolean }[]
    /** The last notice sent (records frozen before `notices`). */
    notice?: { sentAt: Date; subject: string; text: string } | null
    status: string
  }
  /** 71.4 */
  attendees: ActaAttendee[]
  /** 71.5 */
  quorum: {
    rule: QuorumRule
    inPersonUnits: number
    remoteUnits: number
    attendedUnits: number
    totalUnits: number
    /** Units entitled to vote: up to date when units in arrears have voice but no vote, else all. */
    eligibleUnits: number
    /** Owners (heads, see core/rules/quorum countHeads) who attended, and all owners of the PH. */
    attendedOwners: number
    totalOwners: number
    /** The PH's arrears setting when the acta was drawn up. */
    arrearsVoting: string
    /** The first log entry where the quorum was reached, or null. */
    established: ActaQuorumEntry | null
    /** The quorum over time, summarised: the first entry, every loss or recovery, and the last. */
    log: ActaQuorumEntry[]
  }
  /** 71.6 */
  officers: { president: string | null; secretary: string | null; election: string | null }
  /**
   * 71.7. `notes` is the discussion summary, which the administration may still write after the close
   * while the acta is not final (the only part of the frozen record that changes).
   */
  agenda: {
    id: string
    position: number
    title: string
    description: string | null
    notes: string | null
    /** Who took the floor on the item, in order (absent from actas frozen before the speaker queue). */
    speakers?: ActaSpeaker[]
  }[]
  /** 71.8 */
  proposals: ActaProposal[]
  /** 71.9 */
  times: {
    startedAt: Date | null
    endedAt: Date | null
    events: { kind: string; at: Date; note: string | null }[]
  }
}

/**
 * Gathers the acta of an assembly from the tables. `amendsBylaws` adds each attendee's coefficient, as
 * art. 71.4 requires when the by-laws are amended. Errors: 404 not_found.
 */
export async function buildActa(
  db: Database,
  input: { organizationId: string; assemblyId: string; amendsBylaws?: boolean; now?: Date },
): Promise<ActaModel> {
  const { organizationId } = input
  return withTenant(db, organizationId, async (tx) => {
    const amendsBylaws = input.amendsBylaws ?? false
    const frozen = await loadFrozenActa(tx, input)
    if (frozen) return thawActa(frozen, amendsBylaws)
    return assembleActa(tx, { ...input, amendsBylaws })
  })
}

/**
 * The acta from the live tables, inside an open tenant transaction: what buildActa shows before the
 * close, and what the close freezes into the assembly's record. Errors: 404 not_found.
 */
export async function assembleActa(
  tx: Database,
  input: { organizationId: string; assemblyId: string; amendsBylaws: boolean; now?: Date },
): Promise<ActaModel> {
  const { organizationId, assemblyId, amendsBylaws } = input
  {
    const [row] = await tx
      .select({ assembly: assemblies, organization: organizations })
      .from(assemblies)
      .innerJoin(organizations, eq(organizations.id, assemblies.organizationId))
      .where(and(eq(assemblies.id, assemblyId), eq(assemblies.organizationId, organizationId)))
    if (!row) throw notFound('Assembly')
    const { assembly, organization } = row
    const [records, unitStats, log, agenda, proposals, events, notices] = await Promise.all([
      loadAttendanceRecords(tx, organizationId, assemblyId),
      tx
        .select({ id: units.id, upToDate: units.upToDate, ownerKey: unitOwnerKey })
        .from(units)
        .where(eq(units.organizationId, organizationId)),
      loadQuorumLog(tx, organizationId, assemblyId),
      tx
        .select({
          id: agendaItems.id,
          position: agendaItems.position,
          title: agendaItems.title,
          description: agendaItems.description,
          notes: agendaItems.notes,
        })
        .from(agendaItems)
        .where(and(eq(agendaItems.assemblyId, assemblyId), eq(agendaItems.organizationId, organizationId)))
        .orderBy(asc(agendaItems.position)),
      loadProposals(tx, organizationId, assemblyId),
      tx
        .select({ kind: assemblyEvents.kind, at: assemblyEvents.at, note: assemblyEvents.note })
        .from(assemblyEvents)
        .where(
          and(eq(assemblyEvents.assemblyId, assemblyId), eq(assemblyEvents.organizationId, organizationId)),
        )
        .orderBy(asc(assemblyEvents.at)),
      tx
        .select()
        .from(assemblyNotices)
        .where(
          and(eq(assemblyNotices.assemblyId, assemblyId), eq(assemblyNotices.organizationId, organizationId)),
        )
        .orderBy(asc(assemblyNotices.sentAt)),
    ])
    const attendees = aggregateAttendees(records, amendsBylaws)
    // A unit that moved from remote to in person (or back) counts once, as in person.
    const inPerson = attendees.filter((a) => a.modes.includes('in_person')).length
    const attendedIds = new Set(records.map((record) => record.unitId))
    const heads = countHeads(
      unitStats.map((unit) => ({
        id: unit.id,
        coefficient: 0n,
        upToDate: unit.upToDate,
        present: attendedIds.has(unit.id),
        ownerKey: unit.ownerKey ?? undefined,
      })),
    )
    const eligibleOnly = assembly.quorumRule.eligibleOnly
    return {
      generatedAt: input.now ?? new Date(),
      amendsBylaws,
      acta: { number: assembly.number, kind: assembly.kind },
      ph: {
        name: organization.name,
        legalName: organization.legalName,
        registryNumber: organization.registryNumber,
        taxId: organization.taxId,
        address: organization.address,
        timeZone: organization.timeZone,
        locale: organization.locale,
        language: organization.language,
      },
      meeting: {
        title: assembly.title,
        modality: assembly.modality,
        location: assembly.location,
        meetingUrl: assembly.meetingUrl,
        firstCallAt: assembly.firstCallAt,
        secondCallAt: assembly.secondCallAt,
        call: assembly.currentCall,
        convenedBy: assembly.convenedBy,
        convenerPosition: assembly.convenerPosition,
        callText: assembly.callText,
        notices: notices.map((notice) => ({
          sentAt: notice.sentAt,
          subject: notice.subject,
          text: notice.text,
          corrected: notice.kind === 'corrected_notice',
        })),
        status: assembly.status,
      },
      attendees,
      quorum: {
        rule: assembly.quorumRule,
        inPersonUnits: inPerson,
        remoteUnits: attendees.length - inPerson,
        attendedUnits: attendees.length,
        totalUnits: unitStats.length,
        eligibleUnits: eligibleOnly ? unitStats.filter((unit) => unit.upToDate).length : unitStats.length,
        attendedOwners: heads.present,
        totalOwners: heads.total,
        arrearsVoting: organization.arrearsVoting,
        established: log.find((entry) => entry.reached) ?? null,
        log: summariseQuorumLog(log),
      },
      officers: {
        president: assembly.presidentName,
        secretary: assembly.secretaryName,
        election: assembly.officersElection,
      },
      agenda: await withSpeakers(tx, organizationId, assemblyId, agenda),
      proposals,
      times: { startedAt: assembly.startedAt, endedAt: assembly.endedAt, events },
    }
  }
}

/** The first entry, each change of call or of reached/not reached, and the last: not one row per check-in. */
export function summariseQuorumLog(log: readonly ActaQuorumEntry[]): ActaQuorumEntry[] {
  return log.filter((entry, index) => {
    const previous = log[index - 1]
    if (!previous || index === log.length - 1) return true
    return previous.reached !== entry.reached || previous.call !== entry.call
  })
}

async function loadQuorumLog(
  tx: Database,
  organizationId: string,
  assemblyId: string,
): Promise<ActaQuorumEntry[]> {
  return tx
    .select({
      at: quorumLog.at,
      call: quorumLog.call,
      presentUnits: quorumLog.presentUnits,
      totalUnits: quorumLog.totalUnits,
      inPersonUnits: quorumLog.inPersonUnits,
      remoteUnits: quorumLog.remoteUnits,
      presentCoefficient: quorumLog.presentCoefficient,
      totalCoefficient: quorumLog.totalCoefficient,
      presentOwners: quorumLog.presentOwners,
      totalOwners: quorumLog.totalOwners,
      reached: quorumLog.reached,
    })
    .from(quorumLog)
    .where(and(eq(quorumLog.assemblyId, assemblyId), eq(quorumLog.organizationId, organizationId)))
    .orderBy(asc(quorumLog.at))
}
