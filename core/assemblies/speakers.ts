import { and, asc, eq, inArray, isNotNull, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { agendaItems, attendance, people, speakerRequests, units } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { appendAudit } from '../auth/audit.ts'
import { AppError } from '../errors.ts'
import { isUniqueViolation, notFound } from '../ph/errors.ts'
import type { Actor } from '../ph/types.ts'
import { isUuid } from '../ph/validation.ts'
import { publishToAssembly } from './events.ts'
import { findAssembly, lockAssembly } from './guards.ts'
import { requireLinkedPerson } from './linked-person.ts'
import { isPresent } from './presence.ts'
import { acceptsVotes } from './transitions.ts'
import type { Assembly, AssemblyDeps } from './types.ts'

export type SpeakerStatus = typeof speakerRequests.$inferSelect.status

/** One request to speak, as the administrator's queue shows it. */
export interface SpeakerRequest {
  id: string
  agendaItemId: string
  personId: string
  name: string
  unitNumbers: string[]
  status: SpeakerStatus
  requestedAt: Date
  startedAt: Date | null
  endedAt: Date | null
}

/** Who speaks now and who follows, for the projector and the owners' phones (no ids of people). */
export interface SpeakerBoard {
  now: { name: string; units: string[]; startedAt: string } | null
  next: { name: string; units: string[] }[]
  /** Everyone waiting on the current item (the board lists only the first few). */
  waiting: number
}

type Scope = { organizationId: string; assemblyId: string }

const OPEN = ['waiting', 'speaking'] as const
const BOARD_NEXT = 3

/**
 * The signed-in owner (or proxy holder) asks to speak on the current agenda item. Throws 403
 * `not_an_attendee`, 409 `assembly_not_in_progress`, 409 `no_agenda_item`, 409 `speaker_not_present` (not
 * checked in now), 409 `already_requested` (an open request on this item already).
 */
export async function requestToSpeak(
  db: Database,
  input: Scope & { actor: Actor },
  deps: AssemblyDeps = {},
): Promise<SpeakerRequest> {
  const { organizationId, assemblyId } = input
  return ownRequestChange(db, input, deps, async (tx, assembly, personId) => {
    assertRunning(assembly)
    const agendaItemId = assembly.currentAgendaItemId
    if (!agendaItemId) {
      throw new AppError(409, 'no_agenda_item', 'No agenda item is being discussed now')
    }
    const present = await tx
      .select({ number: units.number })
      .from(attendance)
      .innerJoin(units, eq(units.id, attendance.unitId))
      .where(
        and(
          eq(attendance.organizationId, organizationId),
          eq(attendance.assemblyId, assemblyId),
          eq(attendance.personId, personId),
          isPresent,
        ),
      )
      .orderBy(asc(units.number))
    if (present.length === 0) {
      throw new AppError(409, 'speaker_not_present', 'Only those present in the meeting may ask to speak')
    }
    const [open] = await tx
      .select({ id: speakerRequests.id })
      .from(speakerRequests)
      .where(
        and(
          eq(speakerRequests.organizationId, organizationId),
          eq(speakerRequests.agendaItemId, agendaItemId),
          eq(speakerRequests.personId, personId),
          inArray(speakerRequests.status, [...OPEN]),
        ),
      )
    if (open) throw alreadyRequested()
    const [row] = await tx
      .insert(speakerRequests)
      .values({
        organizationId,
        assemblyId,
        agendaItemId,
        personId,
        unitNumbers: present.map((unit) => unit.number),
        requestedAt: sql`clock_timestamp()`,
      })
      .returning({ id: speakerRequests.id })
      .catch((error: unknown) => {
        if (isUniqueViolation(error, 'speaker_requests_one_open_per_person')) throw alreadyRequested()
        throw error
      })
    await audit(tx, 'speaker.requested', input, row!.id)
    return row!.id
  })
}

/**
 * The signed-in owner withdraws their waiting request on the current agenda item. Throws 403
 * `not_an_attendee`, 409 `request_not_waiting` when they have none waiting.
 */
export async function withdrawSpeakerRequest(
  db: Database,
  input: Scope & { actor: Actor },
  deps: AssemblyDeps = {},
): Promise<SpeakerRequest> {
  const { organizationId } = input
  return ownRequestChange(db, input, deps, async (tx, assembly, personId) => {
    const [row] = assembly.currentAgendaItemId
      ? await tx
          .update(speakerRequests)
          .set({ status: 'withdrawn', endedAt: sql`clock_timestamp()` })
          .where(
            and(
              eq(speakerRequests.organizationId, organizationId),
              eq(speakerRequests.agendaItemId, assembly.currentAgendaItemId),
              eq(speakerRequests.personId, personId),
              eq(speakerRequests.status, 'waiting'),
            ),
          )
          .returning({ id: speakerRequests.id })
      : []
    if (!row) throw new AppError(409, 'request_not_waiting', 'You have no request waiting on this item')
    await audit(tx, 'speaker.withdrawn', input, row.id)
    return row.id
  })
}

/**
 * The signed-in owner's change to their own request: `change` runs with the assembly locked and returns
 * the request's id; the request is then read back and announced. Throws 403 `not_an_attendee`.
 */
async function ownRequestChange(
  db: Database,
  input: Scope & { actor: Actor },
  deps: AssemblyDeps,
  change: (tx: Database, assembly: Assembly, personId: string) => Promise<string>,
): Promise<SpeakerRequest> {
  const { organizationId, assemblyId } = input
  const personId = (await requireLinkedPerson(db, organizationId, input.actor)).id
  const id = await withTenant(db, organizationId, async (tx) =>
    change(tx, await lockAssembly(tx, organizationId, assemblyId), personId),
  )
  return announce(db, input, id, deps)
}

/**
 * The administrator acts on a request: 'floor' gives the floor to a waiting request (ending whoever
 * speaks: one speaker at a time), 'skip' passes over a waiting one, 'end' ends the current speaker.
 * Throws 404 `not_found`, 409 `assembly_not_in_progress`, 409 `request_not_waiting` / `not_speaking`.
 */
export async function moderateSpeaker(
  db: Database,
  input: Scope & { requestId: string; action: 'floor' | 'skip' | 'end'; actor: Actor },
  deps: AssemblyDeps = {},
): Promise<SpeakerRequest> {
  const { organizationId, assemblyId, requestId, action } = input
  await withTenant(db, organizationId, async (tx) => {
    const assembly = await lockAssembly(tx, organizationId, assemblyId)
    assertRunning(assembly)
    const [request] = isUuid(requestId)
      ? await tx
          .select({ status: speakerRequests.status })
          .from(speakerRequests)
          .where(
            and(
              eq(speakerRequests.organizationId, organizationId),
              eq(speakerRequests.assemblyId, assemblyId),
              eq(speakerRequests.id, requestId),
            ),
          )
      : []
    if (!request) throw notFound('Speaker request')
    const wanted = action === 'end' ? 'speaking' : 'waiting'
    if (request.status !== wanted) {
      throw action === 'end'
        ? new AppError(409, 'not_speaking', 'This person does not have the floor', { status: request.status })
        : new AppError(409, 'request_not_waiting', 'This request is no longer waiting', {
            status: request.status,
          })
    }
    const now = sql`clock_timestamp()`
    const scope = and(
      eq(speakerRequests.organizationId, organizationId),
      eq(speakerRequests.assemblyId, assemblyId),
    )
    if (action === 'floor') {
      await tx
        .update(speakerRequests)
        .set({ status: 'done', endedAt: now })
        .where(and(scope, eq(speakerRequests.status, 'speaking')))
    }
    const status = action === 'floor' ? 'speaking' : action === 'skip' ? 'skipped' : 'done'
    await tx
      .update(speakerRequests)
      .set(action === 'floor' ? { status, startedAt: now } : { status, endedAt: now })
      .where(and(scope, eq(speakerRequests.id, requestId)))
    await audit(tx, `speaker.${action}`, input, requestId)
  })
  return announce(db, input, requestId, deps)
}

/**
 * Requests on an agenda item (default the current one) in queue order: who has spoken, who speaks,
 * who waits (withdrawn and skipped last). Throws 404.
 */
export async function listSpeakerRequests(
  db: Database,
  input: Scope & { agendaItemId?: string | null; viewerUserId?: string | null },
): Promise<{ agendaItemId: string | null; requests: (SpeakerRequest & { mine: boolean })[] }> {
  const { organizationId, assemblyId } = input
  return withTenant(db, organizationId, async (tx) => {
    const assembly = await findAssembly(tx, organizationId, assemblyId)
    const agendaItemId = input.agendaItemId ?? assembly.currentAgendaItemId
    if (!agendaItemId || !isUuid(agendaItemId)) return { agendaItemId: null, requests: [] }
    const rows = await selectRequests(tx, organizationId, eq(speakerRequests.agendaItemId, agendaItemId))
    return {
      agendaItemId,
      requests: rows
        .filter((row) => row.assemblyId === assemblyId)
        .map((row) => ({ ...view(row), mine: !!input.viewerUserId && row.userId === input.viewerUserId })),
    }
  })
}

/** The speaker now and the next few waiting on the item, inside the caller's transaction. */
export async function loadSpeakerBoard(
  tx: Database,
  organizationId: string,
  assemblyId: string,
  agendaItemId: string | null,
): Promise<SpeakerBoard> {
  const rows = await selectRequests(
    tx,
    organizationId,
    and(eq(speakerRequests.assemblyId, assemblyId), inArray(speakerRequests.status, [...OPEN])),
  )
  const speaking = rows.find((row) => row.status === 'speaking')
  const waiting = rows.filter((row) => row.status === 'waiting' && row.agendaItemId === agendaItemId)
  return {
    now: speaking
      ? { name: speaking.name, units: speaking.unitNumbers, startedAt: speaking.startedAt!.toISOString() }
      : null,
    next: waiting.slice(0, BOARD_NEXT).map((row) => ({ name: row.name, units: row.unitNumbers })),
    waiting: waiting.length,
  }
}

export interface ActaSpeaker {
  name: string
  units: string[]
}

/** The agenda items with who took the floor on each, in order (the acta lists them under the item). */
export async function withSpeakers<T extends { id: string }>(
  tx: Database,
  organizationId: string,
  assemblyId: string,
  agenda: T[],
): Promise<(T & { speakers: ActaSpeaker[] })[]> {
  const byItem = await speakersByAgendaItem(tx, organizationId, assemblyId)
  return agenda.map((item) => ({ ...item, speakers: byItem.get(item.id) ?? [] }))
}

async function speakersByAgendaItem(
  tx: Database,
  organizationId: string,
  assemblyId: string,
): Promise<Map<string, ActaSpeaker[]>> {
  const rows = await selectRequests(
    tx,
    organizationId,
    and(eq(speakerRequests.assemblyId, assemblyId), isNotNull(speakerRequests.startedAt)),
    'started',
  )
  const byItem = new Map<string, { name: string; units: string[] }[]>()
  for (const row of rows) {
    const list = byItem.get(row.agendaItemId) ?? []
    list.push({ name: row.name, units: row.unitNumbers })
    byItem.set(row.agendaItemId, list)
  }
  return byItem
}

function selectRequests(
  tx: Database,
  organizationId: string,
  where: ReturnType<typeof and>,
  order: 'queue' | 'started' = 'queue',
) {
  // Queue order: the floor taken first (in the order it was given), then waiting by arrival, then the rest.
  const rank = sql`case ${speakerRequests.status} when 'done' then 0 when 'speaking' then 1 when 'waiting' then 2 else 3 end`
  return tx
    .select({
      id: speakerRequests.id,
      assemblyId: speakerRequests.assemblyId,
      agendaItemId: speakerRequests.agendaItemId,
      personId: speakerRequests.personId,
      name: people.fullName,
      userId: people.userId,
      unitNumbers: speakerRequests.unitNumbers,
      status: speakerRequests.status,
      requestedAt: speakerRequests.requestedAt,
      startedAt: speakerRequests.startedAt,
      endedAt: speakerRequests.endedAt,
    })
    .from(speakerRequests)
    .innerJoin(people, eq(people.id, speakerRequests.personId))
    .leftJoin(agendaItems, eq(agendaItems.id, speakerRequests.agendaItemId))
    .where(and(eq(speakerRequests.organizationId, organizationId), where))
    .orderBy(
      ...(order === 'started'
        ? [asc(agendaItems.position), asc(speakerRequests.startedAt)]
        : [asc(rank), asc(speakerRequests.startedAt), asc(speakerRequests.requestedAt)]),
      asc(speakerRequests.id),
    )
}

function view(row: SpeakerRequest & { assemblyId: string; userId: string | null }): SpeakerRequest {
  const { assemblyId: _assemblyId, userId: _userId, ...request } = row
  return request
}

/** Reads the request back after the commit and tells live views the queue changed. */
async function announce(db: Database, scope: Scope, id: string, deps: AssemblyDeps): Promise<SpeakerRequest> {
  const [row] = await withTenant(db, scope.organizationId, (tx) =>
    selectRequests(tx, scope.organizationId, eq(speakerRequests.id, id)),
  )
  await publishToAssembly(deps, scope.assemblyId, { type: 'speakers.changed' })
  return view(row!)
}

function assertRunning(assembly: Assembly): void {
  if (acceptsVotes(assembly.status)) return
  throw new AppError(409, 'assembly_not_in_progress', `The assembly is ${assembly.status}`, {
    status: assembly.status,
  })
}

const alreadyRequested = () =>
  new AppError(409, 'already_requested', 'You already asked to speak on this item')

const audit = (tx: Database, action: string, input: Scope & { actor: Actor }, requestId: string) =>
  appendAudit(tx, {
    action,
    organizationId: input.organizationId,
    actorUserId: input.actor.userId,
    subject: input.assemblyId,
    data: { requestId },
  })
