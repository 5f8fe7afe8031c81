import { and, asc, count, eq, sql } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { agendaItems, motions } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { AppError } from '../errors.ts'
import { invalidField, notFound } from '../ph/errors.ts'
import { textArray } from '../ph/sql-arrays.ts'
import type { Actor } from '../ph/types.ts'
import { isUuid, optionalText, requireText } from '../ph/validation.ts'
import { assertNotFinished, findAssembly, lockAssembly } from './guards.ts'
import type { AgendaItem } from './types.ts'

export interface AgendaItemInput {
  title: string
  description?: string | null
  /** Minutes of the discussion, for the acta. */
  notes?: string | null
}

type AgendaValues = { title?: string; description?: string | null; notes?: string | null }

/** The agenda of an assembly in order. Throws 404 `not_found`. */
export async function listAgendaItems(
  db: Database,
  input: { organizationId: string; assemblyId: string },
): Promise<AgendaItem[]> {
  return withTenant(db, input.organizationId, async (tx) => {
    await findAssembly(tx, input.organizationId, input.assemblyId)
    return selectAgenda(tx, input.organizationId, input.assemblyId)
  })
}

/**
 * Adds an item at `position` (1-based; default: last), shifting the later ones down, and returns the
 * whole agenda. Throws 404, 422 `validation_failed`, 409 `assembly_closed`.
 */
export async function addAgendaItem(
  db: Database,
  input: {
    organizationId: string
    assemblyId: string
    item: AgendaItemInput
    position?: number
    actor: Actor
  },
): Promise<AgendaItem[]> {
  const { organizationId, assemblyId } = input
  const values = validateItem(input.item, true)
  return withTenant(db, organizationId, async (tx) => {
    assertNotFinished(await lockAssembly(tx, organizationId, assemblyId))
    const current = await selectAgenda(tx, organizationId, assemblyId)
    const position = input.position ?? current.length + 1
    if (!Number.isSafeInteger(position) || position < 1 || position > current.length + 1) {
      throw invalidField('position', `must be between 1 and ${current.length + 1}`)
    }
    // Appended at the end first, then moved into place, so positions never collide on the way.
    const [created] = await tx
      .insert(agendaItems)
      .values({ ...values, title: values.title!, organizationId, assemblyId, position: current.length + 1 })
      .returning()
    const ids = current.map((item) => item.id)
    ids.splice(position - 1, 0, created!.id)
    await writePositions(tx, organizationId, assemblyId, ids)
    return selectAgenda(tx, organizationId, assemblyId)
  })
}

/** Changes the title, description or notes of an item. Throws 404, 422, 409 `assembly_closed`. */
export async function updateAgendaItem(
  db: Database,
  input: {
    organizationId: string
    assemblyId: string
    itemId: string
    changes: Partial<AgendaItemInput>
    actor: Actor
  },
): Promise<AgendaItem> {
  const { organizationId, assemblyId, itemId } = input
  const values = validateItem(input.changes, false)
  return withTenant(db, organizationId, async (tx) => {
    assertNotFinished(await lockAssembly(tx, organizationId, assemblyId))
    const scope = itemScope(organizationId, assemblyId, itemId)
    const [updated] =
      Object.keys(values).length === 0
        ? await tx.select().from(agendaItems).where(scope)
        : await tx.update(agendaItems).set(values).where(scope).returning()
    if (!updated) throw notFound('Agenda item')
    return updated
  })
}

/**
 * Puts the agenda in the given order; `itemIds` must list every item exactly once. Returns the
 * agenda. Throws 404, 409 `assembly_closed`, 422 `validation_failed` (field itemIds).
 */
export async function reorderAgendaItems(
  db: Database,
  input: { organizationId: string; assemblyId: string; itemIds: readonly string[]; actor: Actor },
): Promise<AgendaItem[]> {
  const { organizationId, assemblyId, itemIds } = input
  return withTenant(db, organizationId, async (tx) => {
    assertNotFinished(await lockAssembly(tx, organizationId, assemblyId))
    const current = await selectAgenda(tx, organizationId, assemblyId)
    const known = new Set(current.map((item) => item.id))
    const sameSet = itemIds.length === known.size && new Set(itemIds).size === itemIds.length
    if (!sameSet || !itemIds.every((id) => known.has(id))) {
      throw invalidField('itemIds', 'must list every agenda item of the assembly exactly once')
    }
    await writePositions(tx, organizationId, assemblyId, itemIds)
    return selectAgenda(tx, organizationId, assemblyId)
  })
}

/**
 * Deletes an item and closes the gap (positions stay 1..n); returns the agenda. Throws 404,
 * 409 `assembly_closed`, and 409 `agenda_item_has_motions` when motions hang from it.
 */
export async function deleteAgendaItem(
  db: Database,
  input: { organizationId: string; assemblyId: string; itemId: string; actor: Actor },
): Promise<AgendaItem[]> {
  const { organizationId, assemblyId, itemId } = input
  return withTenant(db, organizationId, async (tx) => {
    assertNotFinished(await lockAssembly(tx, organizationId, assemblyId))
    if (!isUuid(itemId)) throw notFound('Agenda item')
    const [linked] = await tx
      .select({ n: count() })
      .from(motions)
      .where(and(eq(motions.organizationId, organizationId), eq(motions.agendaItemId, itemId)))
    if ((linked?.n ?? 0) > 0) {
      throw new AppError(409, 'agenda_item_has_motions', 'Move or delete the motions of this item first', {
        motions: linked?.n,
      })
    }
    const [deleted] = await tx
      .delete(agendaItems)
      .where(itemScope(organizationId, assemblyId, itemId))
      .returning()
    if (!deleted) throw notFound('Agenda item')
    const remaining = await selectAgenda(tx, organizationId, assemblyId)
    await writePositions(
      tx,
      organizationId,
      assemblyId,
      remaining.map((item) => item.id),
    )
    return selectAgenda(tx, organizationId, assemblyId)
  })
}

function itemScope(organizationId: string, assemblyId: string, itemId: string) {
  if (!isUuid(itemId)) return sql`false`
  return and(
    eq(agendaItems.organizationId, organizationId),
    eq(agendaItems.assemblyId, assemblyId),
    eq(agendaItems.id, itemId),
  )
}

function selectAgenda(tx: Database, organizationId: string, assemblyId: string): Promise<AgendaItem[]> {
  return tx
    .select()
    .from(agendaItems)
    .where(and(eq(agendaItems.organizationId, organizationId), eq(agendaItems.assemblyId, assemblyId)))
    .orderBy(asc(agendaItems.position))
}

// The unique (assembly, position) index is checked row by row, so positions go negative first and
// then to 1..n; no two rows ever share a position in between.
async function writePositions(
  tx: Database,
  organizationId: string,
  assemblyId: string,
  orderedIds: readonly string[],
) {
  if (orderedIds.length === 0) return
  const scope = and(eq(agendaItems.organizationId, organizationId), eq(agendaItems.assemblyId, assemblyId))
  await tx
    .update(agendaItems)
    .set({ position: sql`-${agendaItems.position}` })
    .where(scope)
  await tx.execute(sql`
    update ${agendaItems} set position = v.position
    from unnest(${textArray([...orderedIds])}::uuid[]) with ordinality as v(id, position)
    where ${agendaItems.id} = v.id and ${scope}`)
}

function validateItem(input: Partial<AgendaItemInput>, creating: boolean): AgendaValues {
  const values: AgendaValues = {}
  if (creating || input.title !== undefined) values.title = requireText('title', input.title, 500)
  const description = optionalText('description', input.description, 20_000)
  if (description !== undefined) values.description = description
  const notes = optionalText('notes', input.notes, 100_000)
  if (notes !== undefined) values.notes = notes
  return values
}
