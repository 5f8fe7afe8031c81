import { and, asc, eq, getTableColumns, max, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { agendaItems, motions, organizations } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { assertNotFinished, findAssembly } from '../assemblies/guards.ts'
import { evaluateAssemblyQuorum, type LiveQuorum } from '../assemblies/quorum.ts'
import type { Assembly } from '../assemblies/types.ts'
import { appendAudit } from '../auth/audit.ts'
import type { ChangeDeps } from '../changes/notifier.ts'
import { AppError } from '../errors.ts'
import { notFound } from '../ph/errors.ts'
import { isUuid } from '../ph/validation.ts'
import { applyArrearsSetting } from '../rules/presets.ts'
import { type MotionDefinition, type MotionDefinitionInput, validateMotionDefinition } from './definition.ts'
import type { Actor, Motion } from './types.ts'

interface MotionScope {
  organizationId: string
  motionId: string
}

/** A motion with its assembly (and that assembly's status, for the vote rules). */
export interface MotionWithAssembly {
  motion: Motion
  assembly: Assembly
  assemblyStatus: Assembly['status']
}

/**
 * Creates a draft motion in an assembly. Options default to yes / no / abstain in the PH's language,
 * the majority rule to the 'simple' preset. Errors: 404 not_found, 409 assembly_closed (closed or cancelled),
 * 422 validation_failed (details: [{ field, message }]).
 */
export async function createMotion(
  db: Database,
  input: MotionDefinitionInput & {
    organizationId: string
    assemblyId: string
    actor: Actor
    position?: number
  },
  deps: ChangeDeps = {},
): Promise<Motion> {
  const { organizationId, assemblyId } = input
  const created = await withTenant(db, organizationId, async (tx) => {
    assertNotFinished(await findAssembly(tx, organizationId, assemblyId))
    const [organization] = await tx
      .select({ language: organizations.language, arrearsVoting: organizations.arrearsVoting })
      .from(organizations)
      .where(eq(organizations.id, organizationId))
    assertPosition(input.position)
    const definition = withArrears(
      definitionOrThrow(validateMotionDefinition(input, { language: organization?.language })),
      organization?.arrearsVoting,
    )
    await assertAgendaItem(tx, organizationId, assemblyId, definition.agendaItemId)
    const position = input.position ?? (await nextPosition(tx, organizationId, assemblyId))
    const [motion] = await tx
      .insert(motions)
      .values({ organizationId, assemblyId, position, ...definition })
      .returning()
    return motion!
  })
  await deps.changes?.announce({ organizationId, assemblyId, kinds: ['motion'] })
  return created
}

/**
 * Changes a draft motion; absent fields keep their value. Errors: 404 not_found,
 * 409 motion_not_editable (not draft), 409 assembly_closed, 422 validation_failed.
 */
export async function updateMotion(
  db: Database,
  input: MotionDefinitionInput & MotionScope & { actor: Actor; position?: number },
  deps: ChangeDeps = {},
): Promise<Motion> {
  const { organizationId } = input
  const saved = await withTenant(db, organizationId, async (tx) => {
    const { motion, assembly } = await lockMotion(tx, input)
    assertDraft(motion)
    assertNotFinished(assembly)
    assertPosition(input.position)
    const [organization] = await tx
      .select({ arrearsVoting: organizations.arrearsVoting })
      .from(organizations)
      .where(eq(organizations.id, organizationId))
    const definition = withArrears(
      definitionOrThrow(validateMotionDefinition(input, { current: definitionOf(motion) })),
      input.majorityRule === undefined ? 'full_vote' : organization?.arrearsVoting,
    )
    await assertAgendaItem(tx, organizationId, motion.assemblyId, definition.agendaItemId)
    const [updated] = await tx
      .update(motions)
      .set({ ...definition, position: input.position ?? motion.position })
      .where(and(eq(motions.id, motion.id), eq(motions.organizationId, organizationId)))
      .returning()
    return updated!
  })
  await deps.changes?.announce({ organizationId, assemblyId: saved.assemblyId, kinds: ['motion'] })
  return saved
}

/** Deletes a draft motion. Errors: 404 not_found, 409 motion_not_editable. */
export async function deleteMotion(
  db: Database,
  input: MotionScope & { actor: Actor },
  deps: ChangeDeps = {},
): Promise<void> {
  const { organizationId } = input
  const assemblyId = await withTenant(db, organizationId, async (tx) => {
    const { motion } = await lockMotion(tx, input)
    assertDraft(motion)
    await tx.delete(motions).where(and(eq(motions.id, motion.id), eq(motions.organizationId, organizationId)))
    return motion.assemblyId
  })
  await deps.changes?.announce({ organizationId, assemblyId, kinds: ['motion'] })
}

/** The motion, or null when it does not exist in this PH. */
export async function getMotion(db: Database, input: MotionScope): Promise<Motion | null> {
  if (!isUuid(input.motionId)) return null
  return withTenant(db, input.organizationId, async (tx) => {
    const [motion] = await tx
      .select()
      .from(motions)
      .where(and(eq(motions.id, input.motionId), eq(motions.organizationId, input.organizationId)))
    return motion ?? null
  })
}

/** The motions of an assembly in agenda order. */
export async function listMotions(
  db: Database,
  input: { organizationId: string; assemblyId: string },
): Promise<Motion[]> {
  if (!isUuid(input.assemblyId)) return []
  // Motions of an agenda item follow the item's place in the agenda; motions outside it come last.
  return withTenant(db, input.organizationId, (tx) =>
    tx
      .select(getTableColumns(motions))
      .from(motions)
      .leftJoin(
        agendaItems,
        and(eq(agendaItems.id, motions.agendaItemId), eq(agendaItems.organizationId, motions.organizationId)),
      )
      .where(and(eq(motions.assemblyId, input.assemblyId), eq(motions.organizationId, input.organizationId)))
      .orderBy(sql`${agendaItems.position} asc nulls last`, asc(motions.position), asc(motions.createdAt)),
  )
}

/**
 * Opens a draft motion for voting. The assembly must be in progress and, when the motion requires
 * quorum, the quorum of the current call must be reached now (the live quorum of core/assemblies).
 * Errors: 404 not_found, 409 motion_not_draft, 409 assembly_not_in_progress, 409 quorum_not_reached
 * (details: the LiveQuorum — by coefficient and by units, threshold, call and explanation).
 */
export async function openMotion(
  db: Database,
  input: MotionScope & { actor: Actor },
): Promise<{ motion: Motion; quorum: LiveQuorum | null }> {
  const { organizationId } = input
  return withTenant(db, organizationId, async (tx) => {
    const { motion, assembly } = await lockMotion(tx, input)
    if (motion.status !== 'draft') {
      throw new AppError(
        409,
        'motion_not_draft',
        `The motion is ${motion.status}; only a draft can be opened`,
      )
    }
    if (assembly.status !== 'in_progress') {
      throw new AppError(
        409,
        'assembly_not_in_progress',
        `The assembly is ${assembly.status}, not in progress`,
      )
    }
    const quorum = motion.requiresQuorum ? await evaluateAssemblyQuorum(tx, organizationId, assembly) : null
    if (quorum && !quorum.reached) throw new AppError(409, 'quorum_not_reached', quorum.explanation, quorum)
    const [opened] = await tx
      .update(motions)
      .set({ status: 'open', openedAt: new Date() })
      .where(and(eq(motions.id, motion.id), eq(motions.organizationId, organizationId)))
      .returning()
    await appendAudit(tx, {
      action: 'motion.opened',
      organizationId,
      actorUserId: input.actor.userId,
      subject: motion.id,
      data: quorum ? { quorum } : null,
    })
    return { motion: opened!, quorum }
  })
}

/**
 * Locks the motion row (`for update`) for the rest of the transaction, with its assembly's status.
 * Every change of a motion and every accepted vote takes this lock, so a close and a vote never interleave.
 * Errors: 404 not_found.
 */
export function lockMotion(tx: Database, scope: MotionScope): Promise<MotionWithAssembly> {
  return loadMotion(tx, scope, true)
}

/** The motion with its assembly's status, without locking. Errors: 404 not_found. */
export function readMotion(tx: Database, scope: MotionScope): Promise<MotionWithAssembly> {
  return loadMotion(tx, scope, false)
}

async function loadMotion(tx: Database, scope: MotionScope, lock: boolean): Promise<MotionWithAssembly> {
  if (!isUuid(scope.motionId)) throw notFound('Motion')
  const query = tx
    .select()
    .from(motions)
    .where(and(eq(motions.id, scope.motionId), eq(motions.organizationId, scope.organizationId)))
  const [motion] = lock ? await query.for('update') : await query
  if (!motion) throw notFound('Motion')
  const assembly = await findAssembly(tx, scope.organizationId, motion.assemblyId)
  return { motion, assembly, assemblyStatus: assembly.status }
}

async function nextPosition(tx: Database, organizationId: string, assemblyId: string): Promise<number> {
  const [row] = await tx
    .select({ last: max(motions.position) })
    .from(motions)
    .where(and(eq(motions.assemblyId, assemblyId), eq(motions.organizationId, organizationId)))
  return (row?.last ?? 0) + 1
}

async function assertAgendaItem(
  tx: Database,
  organizationId: string,
  assemblyId: string,
  agendaItemId: string | null,
): Promise<void> {
  if (agendaItemId === null) return
  const [item] = isUuid(agendaItemId)
    ? await tx
        .select({ id: agendaItems.id })
        .from(agendaItems)
        .where(
          and(
            eq(agendaItems.id, agendaItemId),
            eq(agendaItems.assemblyId, assemblyId),
            eq(agendaItems.organizationId, organizationId),
          ),
        )
    : []
  if (!item) {
    const issue = { field: 'agendaItemId', message: 'is not an agenda item of this assembly' }
    throw new AppError(422, 'validation_failed', `${issue.field}: ${issue.message}`, [issue])
  }
}

function assertPosition(position: number | undefined): void {
  if (position === undefined || (Number.isInteger(position) && position >= 1 && position <= 100_000)) return
  const issue = { field: 'position', message: 'must be an integer from 1 to 100000' }
  throw new AppError(422, 'validation_failed', `${issue.field}: ${issue.message}`, [issue])
}

function assertDraft(motion: Motion): void {
  if (motion.status === 'draft') return
  throw new AppError(
    409,
    'motion_not_editable',
    `The motion is ${motion.status}; only a draft can be changed`,
  )
}

// A changed rule takes the PH's arrears setting; an unchanged one keeps what it was given when stored.
function withArrears(definition: MotionDefinition, setting: string | undefined): MotionDefinition {
  return {
    ...definition,
    majorityRule: applyArrearsSetting(definition.majorityRule, setting ?? 'voice_no_vote'),
  }
}

function definitionOrThrow(result: ReturnType<typeof validateMotionDefinition>): MotionDefinition {
  if (result.ok) return result.value
  const summary = result.issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')
  throw new AppError(422, 'validation_failed', summary, result.issues)
}

function definitionOf(motion: Motion): MotionDefinition {
  return {
    title: motion.title,
    description: motion.description,
    agendaItemId: motion.agendaItemId,
    options: motion.options,
    choiceMode: motion.choiceMode,
    secret: motion.secret,
    majorityRule: motion.majorityRule,
    requiresQuorum: motion.requiresQuorum,
    seats: motion.seats,
  }
}
