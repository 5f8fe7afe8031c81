import { and, asc, desc, eq, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { actaSeals, actaSignOffs, agendaItems, assemblies } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { findAssembly } from '../assemblies/guards.ts'
import { appendAudit } from '../auth/audit.ts'
import { sha256Hex } from '../auth/crypto.ts'
import { canonicalJson } from '../canonical-json.ts'
import { AppError } from '../errors.ts'
import { notFound } from '../ph/errors.ts'
import type { Actor } from '../ph/types.ts'
import type { ActaSeal } from './document-types.ts'
import { hashSeal } from './seal-chain.ts'

/*
 * The acta after the close: draft (frozen at the close) → reviewed (the administration read it) → final
 * (the president and the secretary signed the exact record, by its SHA-256). Until it is final the
 * administration may still write the discussion summaries, and only those change in the frozen record;
 * an edit returns a reviewed acta to draft and drops the sign-offs, which were of another text. Once
 * final, the acta is sealed into the PH's chain and nothing about it changes (a trigger refuses it too).
 */

type Scope = { organizationId: string; assemblyId: string }
export type ActaOfficerRole = 'president' | 'secretary'

export interface ActaState extends ActaSeal {
  hash: string
  reviewedAt: Date | null
  reviewedByUserId: string | null
  signOffs: (ActaSeal['signOffs'][number] & { userId: string | null })[]
  /** The seal of a final acta: its place in the PH's chain. */
  chain: { sequence: number; previousHash: string | null; hash: string; sealedAt: Date } | null
}

/** SHA-256 (hex) of the canonical JSON of a frozen record: what the officers sign. */
export function hashActaRecord(record: unknown): string {
  return sha256Hex(canonicalJson(record))
}

/** Where the acta of an assembly is in its life; null before the close (nothing frozen yet). */
export async function getActaState(db: Database, scope: Scope): Promise<ActaState | null> {
  return withTenant(db, scope.organizationId, (tx) => readState(tx, scope))
}

async function readState(tx: Database, scope: Scope): Promise<ActaState | null> {
  const assembly = await findAssembly(tx, scope.organizationId, scope.assemblyId)
  if (!assembly.record || !assembly.actaStatus) return null
  const [signOffs, [seal]] = await Promise.all([
    tx
      .select()
      .from(actaSignOffs)
      .where(
        and(
          eq(actaSignOffs.organizationId, scope.organizationId),
          eq(actaSignOffs.assemblyId, scope.assemblyId),
        ),
      )
      .orderBy(asc(actaSignOffs.signedAt)),
    tx.select().from(actaSeals).where(eq(actaSeals.assemblyId, scope.assemblyId)),
  ])
  return {
    status: assembly.actaStatus,
    hash: hashActaRecord(assembly.record),
    reviewedAt: assembly.actaReviewedAt,
    reviewedByUserId: assembly.actaReviewedByUserId,
    signOffs: signOffs.map((row) => ({
      role: row.role,
      signerName: row.signerName,
      signedAt: row.signedAt,
      hash: row.recordHash,
      userId: row.userId,
    })),
    chain: seal
      ? { sequence: seal.sequence, previousHash: seal.previousHash, hash: seal.hash, sealedAt: seal.sealedAt }
      : null,
  }
}

/** Locks the assembly and returns its acta state. Throws 404, 409 `acta_not_frozen`, 409 `acta_final`. */
async function lockEditable(tx: Database, scope: Scope): Promise<ActaState> {
  await findAssembly(tx, scope.organizationId, scope.assemblyId, true)
  const state = await readState(tx, scope)
  if (!state) throw new AppError(409, 'acta_not_frozen', 'The acta exists once the assembly is closed')
  if (state.status === 'final')
    throw new AppError(409, 'acta_final', 'The acta is final and signed: it can no longer change')
  return state
}

const scopeOf = (scope: Scope) =>
  and(eq(assemblies.organizationId, scope.organizationId), eq(assemblies.id, scope.assemblyId))

/** The administration marks the draft as reviewed (again harmless). Errors: 404, 409 acta_not_frozen/acta_final. */
export async function reviewActa(db: Database, input: Scope & { actor: Actor }): Promise<ActaState> {
  return withTenant(db, input.organizationId, async (tx) => {
    const state = await lockEditable(tx, input)
    if (state.status === 'reviewed') return state
    await tx
      .update(assemblies)
      .set({
        actaStatus: 'reviewed',
        actaReviewedAt: sql`clock_timestamp()`,
        actaReviewedByUserId: input.actor.userId,
      })
      .where(scopeOf(input))
    await appendAudit(tx, {
      action: 'acta.reviewed',
      organizationId: input.organizationId,
      actorUserId: input.actor.userId,
      subject: input.assemblyId,
      data: { hash: state.hash },
    })
    return (await readState(tx, input))!
  })
}

/**
 * Records the sign-off of the president or the secretary. `hash` must be the record's hash the signer
 * read (so nobody signs a text that changed meanwhile). When both have signed, the acta becomes final
 * and is sealed into the PH's chain. Errors: 404, 409 acta_not_frozen, acta_final, acta_not_reviewed,
 * acta_changed (details: hash), acta_already_signed (details: role).
 */
export async function signOffActa(
  db: Database,
  input: Scope & { role: ActaOfficerRole; signerName: string; hash: string; actor: Actor },
): Promise<ActaState> {
  const { organizationId, assemblyId } = input
  return withTenant(db, organizationId, async (tx) => {
    const state = await lockEditable(tx, input)
    if (state.status !== 'reviewed')
      throw new AppError(409, 'acta_not_reviewed', 'Mark the acta as reviewed before it is signed')
    if (input.hash !== state.hash)
      throw new AppError(409, 'acta_changed', 'The acta changed since it was read', { hash: state.hash })
    if (state.signOffs.some((signOff) => signOff.role === input.role))
      throw new AppError(409, 'acta_already_signed', 'This officer already signed', { role: input.role })
    await tx.insert(actaSignOffs).values({
      organizationId,
      assemblyId,
      role: input.role,
      signerName: input.signerName,
      userId: input.actor.userId,
      recordHash: state.hash,
      signedAt: sql`clock_timestamp()`,
    })
    await appendAudit(tx, {
      action: 'acta.signed',
      organizationId,
      actorUserId: input.actor.userId,
      subject: assemblyId,
      data: { role: input.role, signerName: input.signerName, hash: state.hash },
    })
    const signed = (await readState(tx, input))!
    if (signed.signOffs.length < 2) return signed
    await sealActa(tx, input, signed)
    await appendAudit(tx, {
      action: 'acta.final',
      organizationId,
      actorUserId: input.actor.userId,
      subject: assemblyId,
      data: { hash: state.hash },
    })
    return (await readState(tx, input))!
  })
}

/** Appends the final acta to the PH's chain (serialized per PH) and marks it final. */
async function sealActa(tx: Database, scope: Scope, state: ActaState): Promise<void> {
  const { organizationId, assemblyId } = scope
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`acta_seals:${organizationId}`}))`)
  const [last] = await tx
    .select({ sequence: actaSeals.sequence, hash: actaSeals.hash })
    .from(actaSeals)
    .where(eq(actaSeals.organizationId, organizationId))
    .orderBy(desc(actaSeals.sequence))
    .limit(1)
  const fields = {
    organizationId,
    assemblyId,
    sequence: (last?.sequence ?? 0) + 1,
    previousHash: last?.hash ?? null,
    recordHash: state.hash,
    signOffs: state.signOffs,
  }
  const { signOffs: _covered, ...columns } = fields
  await tx.insert(actaSeals).values({ ...columns, hash: hashSeal(fields), sealedAt: sql`clock_timestamp()` })
  await tx.update(assemblies).set({ actaStatus: 'final' }).where(scopeOf(scope))
}

/**
 * Writes the discussion summary of an agenda item after the close, into the item and into the frozen
 * record (nothing else of the record changes). A reviewed acta returns to draft and its sign-offs are
 * dropped. Errors: 404, 409 acta_not_frozen, acta_final.
 */
export async function updateDiscussionSummary(
  db: Database,
  input: Scope & { itemId: string; notes: string | null; actor: Actor },
): Promise<ActaState> {
  const { organizationId, assemblyId, itemId } = input
  return withTenant(db, organizationId, async (tx) => {
    const state = await lockEditable(tx, input)
    const [item] = await tx
      .update(agendaItems)
      .set({ notes: input.notes })
      .where(
        and(
          eq(agendaItems.organizationId, organizationId),
          eq(agendaItems.assemblyId, assemblyId),
          eq(agendaItems.id, itemId),
        ),
      )
      .returning({ id: agendaItems.id })
    if (!item) throw notFound('Agenda item')
    const [row] = await tx.select({ record: assemblies.record }).from(assemblies).where(scopeOf(input))
    const record = row!.record as { model: { agenda: { id: string; notes: string | null }[] } }
    const agenda = record.model.agenda.map((entry) =>
      entry.id === itemId ? { ...entry, notes: input.notes } : entry,
    )
    await tx
      .update(assemblies)
      .set({
        record: { ...record, model: { ...record.model, agenda } },
        actaStatus: 'draft',
        actaReviewedAt: null,
        actaReviewedByUserId: null,
      })
      .where(scopeOf(input))
    if (state.signOffs.length > 0)
      await tx
        .delete(actaSignOffs)
        .where(and(eq(actaSignOffs.organizationId, organizationId), eq(actaSignOffs.assemblyId, assemblyId)))
    await appendAudit(tx, {
      action: 'acta.summary_edited',
      organizationId,
      actorUserId: input.actor.userId,
      subject: assemblyId,
      data: { itemId, previousStatus: state.status, droppedSignOffs: state.signOffs.map((s) => s.role) },
    })
    return (await readState(tx, input))!
  })
}
