import { and, asc, count, eq, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { agendaItems, assemblies, assemblyEvents, motions, organizations } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { assembleActa } from '../acta/model.ts'
import { freezeActa } from '../acta/record.ts'
import { appendAudit } from '../auth/audit.ts'
import { AppError } from '../errors.ts'
import type { Actor } from '../ph/types.ts'
import { missingCallFields, noticeWindowOf } from './convocatoria.ts'
import { announceCommitted, nowOf, publishToAssembly } from './events.ts'
import { assertAcceptsAttendance, assertNotFinished, findAssembly, lockAssembly } from './guards.ts'
import { evaluateAssemblyQuorum, type LiveQuorum, quorumMessage, recordQuorum } from './quorum.ts'
import { scheduleReminders } from './reminders.ts'
import { canTransition, transitionEventKind } from './transitions.ts'
import type { Assembly, AssemblyDeps, AssemblyEvent, AssemblyStatus } from './types.ts'

export interface TransitionInput {
  organizationId: string
  assemblyId: string
  /** Shown in the acta beside the time, e.g. the reason for a suspension. */
  note?: string | null
  /** Why the meeting starts before its first-call time: required then; kept in the start event's note. */
  earlyStartReason?: string | null
  actor: Actor
  /**
   * Convening outside the PH's notice window needs a reason (by-laws differ): stored on the assembly
   * and in the audit log.
   */
  windowOverrideReason?: string | null
}

export interface TransitionResult {
  assembly: Assembly
  event: AssemblyEvent
  /** The quorum recorded with the change (start, resume, second call); null otherwise. */
  quorum: LiveQuorum | null
}

/**
 * Moves an assembly to `to` if the state machine allows it (draft → convened → in_progress ⇄ suspended
 * → closed; draft/convened → cancelled), writes an `assembly_events` row with time and actor, records
 * the quorum on start and resume, and publishes the new status. Throws 404 `not_found`,
 * 409 `assembly_closed` (closed or cancelled), 409 `invalid_transition` (details from, to),
 * 422 `incomplete_call` (details.missing: the fields of missingCallFields) when convening an
 * incomplete notice, 422 `notice_window` (details days, min, max) when convening outside the PH's
 * window without `windowOverrideReason`, and
 * 409 `first_call_too_early` (details.firstCallAt) when starting before the first call without
 * `earlyStartReason`, and 409 `motion_open` when closing while a motion is open.
 */
export async function transitionAssembly(
  db: Database,
  input: TransitionInput & { to: AssemblyStatus },
  deps: AssemblyDeps = {},
): Promise<TransitionResult> {
  const { organizationId, assemblyId, to } = input
  const result = await withTenant(db, organizationId, async (tx) => {
    const assembly = await lockAssembly(tx, organizationId, assemblyId)
    assertNotFinished(assembly)
    if (!canTransition(assembly.status, to)) {
      throw new AppError(
        409,
        'invalid_transition',
        `An assembly cannot go from ${assembly.status} to ${to}`,
        {
          from: assembly.status,
          to,
        },
      )
    }
    const override =
      to === 'convened' ? await assertCallReady(tx, assembly, input.windowOverrideReason, nowOf(deps)) : null
    const early =
      assembly.status === 'convened' &&
      to === 'in_progress' &&
      nowOf(deps).getTime() < assembly.firstCallAt.getTime()
    const earlyReason = input.earlyStartReason?.trim() || null
    if (early && !earlyReason) {
      throw new AppError(
        409,
        'first_call_too_early',
        'The first call is scheduled later: give earlyStartReason to start now',
        { firstCallAt: assembly.firstCallAt.toISOString() },
      )
    }
    if (to === 'closed') await assertNoOpenMotion(tx, organizationId, assemblyId)
    const [updated] = await tx
      .update(assemblies)
      .set({
        status: to,
        ...(to === 'in_progress' && !assembly.startedAt ? { startedAt: sql`clock_timestamp()` } : {}),
        ...(to === 'closed' ? { endedAt: sql`clock_timestamp()` } : {}),
        ...(to === 'convened'
          ? { noticedAt: sql`clock_timestamp()`, noticeWindowOverride: override?.reason ?? null }
          : {}),
      })
      .where(and(eq(assemblies.organizationId, organizationId), eq(assemblies.id, assemblyId)))
      .returning()
    if (to === 'convened') await scheduleReminders(tx, updated!, nowOf(deps))
    const note = early ? [input.note?.trim(), earlyReason].filter(Boolean).join(' — ') : input.note
    const event = await writeEvent(tx, updated!, transitionEventKind(assembly.status, to), { ...input, note })
    // The acta is frozen with the close: later roster changes never alter the record of the meeting.
    if (to === 'closed')
      await freezeActa(tx, { organizationId, assemblyId, closedAt: updated!.endedAt! }, assembleActa)
    const quorum = to === 'in_progress' ? await recordQuorum(tx, organizationId, updated!) : null
    return { assembly: updated!, event, quorum, override }
  })
  if (result.override) {
    await appendAudit(db, {
      action: 'assembly.notice_window_override',
      organizationId,
      actorUserId: input.actor.userId,
      subject: assemblyId,
      data: { ...result.override.window, reason: result.override.reason },
    })
  }
  await announceCommitted(deps, { organizationId, assemblyId, kinds: ['assembly'] })
  await publishToAssembly(deps, assemblyId, {
    type: 'assembly.status',
    status: result.assembly.status,
    call: result.assembly.currentCall,
    event: result.event.kind,
    at: result.event.at.toISOString(),
  })
  if (result.quorum) await publishToAssembly(deps, assemblyId, quorumMessage(result.quorum))
  return result
}

/** Publishes the call: draft → convened. See transitionAssembly for errors. */
export function conveneAssembly(db: Database, input: TransitionInput, deps?: AssemblyDeps) {
  return transitionAssembly(db, { ...input, to: 'convened' }, deps)
}

/** Opens the meeting: convened → in_progress (records the quorum at the start). */
export function startAssembly(db: Database, input: TransitionInput, deps?: AssemblyDeps) {
  return transitionAssembly(db, { ...input, to: 'in_progress' }, deps)
}

/** Suspends the meeting: in_progress → suspended. */
export function suspendAssembly(db: Database, input: TransitionInput, deps?: AssemblyDeps) {
  return transitionAssembly(db, { ...input, to: 'suspended' }, deps)
}

/** Resumes the meeting: suspended → in_progress. */
export function resumeAssembly(db: Database, input: TransitionInput, deps?: AssemblyDeps) {
  return transitionAssembly(db, { ...input, to: 'in_progress' }, deps)
}

/** Ends the meeting: in_progress or suspended → closed. */
export function closeAssembly(db: Database, input: TransitionInput, deps?: AssemblyDeps) {
  return transitionAssembly(db, { ...input, to: 'closed' }, deps)
}

/** Calls the meeting off: draft or convened → cancelled. */
export function cancelAssembly(db: Database, input: TransitionInput, deps?: AssemblyDeps) {
  return transitionAssembly(db, { ...input, to: 'cancelled' }, deps)
}

/**
 * Runs the meeting at its second call (lower quorum): records a `second_call` event and the quorum
 * under the new call. Throws 404, 409 `assembly_closed`, 409 `assembly_not_open` (a draft),
 * 409 `already_second_call`, 409 `second_call_not_allowed` (the rule has no second call), and
 * 409 `second_call_too_early` (before the scheduled second-call time) and 409 `quorum_already_reached`
 * (the first call has quorum).
 */
export async function switchToSecondCall(
  db: Database,
  input: TransitionInput,
  deps: AssemblyDeps = {},
): Promise<TransitionResult> {
  const { organizationId, assemblyId } = input
  const result = await withTenant(db, organizationId, async (tx) => {
    const assembly = await lockAssembly(tx, organizationId, assemblyId)
    assertAcceptsAttendance(assembly)
    if (assembly.currentCall === 'second') {
      throw new AppError(409, 'already_second_call', 'The assembly is already at its second call')
    }
    if (assembly.quorumRule.secondCall === null) {
      throw new AppError(
        409,
        'second_call_not_allowed',
        'The quorum rule of this assembly has no second call',
      )
    }
    const now = nowOf(deps)
    if (assembly.secondCallAt && now.getTime() < assembly.secondCallAt.getTime()) {
      throw new AppError(409, 'second_call_too_early', 'The second call is scheduled later', {
        secondCallAt: assembly.secondCallAt.toISOString(),
      })
    }
    // A second call exists for when the first one fails: with quorum present it is not offered.
    if ((await evaluateAssemblyQuorum(tx, organizationId, assembly)).reached) {
      throw new AppError(409, 'quorum_already_reached', 'There is quorum at the first call')
    }
    const [updated] = await tx
      .update(assemblies)
      .set({ currentCall: 'second' })
      .where(and(eq(assemblies.organizationId, organizationId), eq(assemblies.id, assemblyId)))
      .returning()
    const event = await writeEvent(tx, updated!, 'second_call', input)
    const quorum = await recordQuorum(tx, organizationId, updated!)
    return { assembly: updated!, event, quorum }
  })
  await announceCommitted(deps, { organizationId, assemblyId, kinds: ['assembly'] })
  await publishToAssembly(deps, assemblyId, {
    type: 'assembly.call',
    call: 'second',
    at: result.event.at.toISOString(),
  })
  if (result.quorum) await publishToAssembly(deps, assemblyId, quorumMessage(result.quorum))
  return result
}

/** Events of the assembly in time order: what the acta lists as start, suspensions, restarts and end. */
export async function listAssemblyEvents(
  db: Database,
  input: { organizationId: string; assemblyId: string },
): Promise<AssemblyEvent[]> {
  return withTenant(db, input.organizationId, async (tx) => {
    await findAssembly(tx, input.organizationId, input.assemblyId)
    return tx
      .select()
      .from(assemblyEvents)
      .where(
        and(
          eq(assemblyEvents.organizationId, input.organizationId),
          eq(assemblyEvents.assemblyId, input.assemblyId),
        ),
      )
      .orderBy(asc(assemblyEvents.at))
  })
}

async function writeEvent(
  tx: Database,
  assembly: Assembly,
  kind: string,
  input: TransitionInput,
): Promise<AssemblyEvent> {
  const [event] = await tx
    .insert(assemblyEvents)
    .values({
      organizationId: assembly.organizationId,
      assemblyId: assembly.id,
      kind,
      note: input.note?.trim() || null,
      actorUserId: input.actor.userId,
      at: sql`clock_timestamp()`,
    })
    .returning()
  return event!
}

/**
 * Refuses to convene an incomplete notice (422 incomplete_call, details.missing) or one outside the
 * PH's notice window without a reason (422 notice_window). Returns the override to record, if any.
 */
async function assertCallReady(
  tx: Database,
  assembly: Assembly,
  reason: string | null | undefined,
  now: Date,
): Promise<{ reason: string; window: ReturnType<typeof noticeWindowOf> } | null> {
  const [items] = await tx
    .select({ n: count() })
    .from(agendaItems)
    .where(
      and(eq(agendaItems.organizationId, assembly.organizationId), eq(agendaItems.assemblyId, assembly.id)),
    )
  const missing = missingCallFields(assembly, items?.n ?? 0)
  if (missing.length > 0) {
    throw new AppError(422, 'incomplete_call', `The notice needs ${missing.join(', ')} before it is sent`, {
      missing,
    })
  }
  const [organization] = await tx
    .select()
    .from(organizations)
    .where(eq(organizations.id, assembly.organizationId))
  const window = noticeWindowOf(assembly, organization!, now)
  if (window.inside) return null
  const text = reason?.trim()
  if (!text) {
    throw new AppError(
      422,
      'notice_window',
      `The first call is ${window.days} days after the notice; the PH's window is ${window.min}–${window.max} days`,
      { ...window },
    )
  }
  return { reason: text, window }
}

async function assertNoOpenMotion(tx: Database, organizationId: string, assemblyId: string): Promise<void> {
  const [open] = await tx
    .select({ n: count() })
    .from(motions)
    .where(
      and(
        eq(motions.organizationId, organizationId),
        eq(motions.assemblyId, assemblyId),
        eq(motions.status, 'open'),
      ),
    )
  if ((open?.n ?? 0) === 0) return
  throw new AppError(409, 'motion_open', 'Close the open motions before closing the assembly', {
    openMotions: open?.n,
  })
}
