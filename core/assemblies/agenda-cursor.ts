import { and, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { agendaItems, assemblies } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { appendAudit } from '../auth/audit.ts'
import { notFound } from '../ph/errors.ts'
import type { Actor } from '../ph/types.ts'
import { isUuid } from '../ph/validation.ts'
import { announceCommitted, publishToAssembly } from './events.ts'
import { assertNotFinished, lockAssembly } from './guards.ts'
import type { AssemblyDeps } from './types.ts'

export interface CurrentAgendaItem {
  id: string
  position: number
  title: string
}

/**
 * Moves the meeting to an agenda item (or to none with null): owners and the projector follow it.
 * Throws 404 `not_found` (assembly, or an item of another assembly) and 409 `assembly_closed`.
 */
export async function setCurrentAgendaItem(
  db: Database,
  input: { organizationId: string; assemblyId: string; itemId: string | null; actor: Actor },
  deps: AssemblyDeps = {},
): Promise<CurrentAgendaItem | null> {
  const { organizationId, assemblyId, itemId } = input
  const current = await withTenant(db, organizationId, async (tx) => {
    const assembly = await lockAssembly(tx, organizationId, assemblyId)
    assertNotFinished(assembly)
    let item: CurrentAgendaItem | null = null
    if (itemId !== null) {
      const [row] = isUuid(itemId)
        ? await tx
            .select({ id: agendaItems.id, position: agendaItems.position, title: agendaItems.title })
            .from(agendaItems)
            .where(
              and(
                eq(agendaItems.organizationId, organizationId),
                eq(agendaItems.assemblyId, assemblyId),
                eq(agendaItems.id, itemId),
              ),
            )
        : []
      if (!row) throw notFound('Agenda item')
      item = row
    }
    await tx
      .update(assemblies)
      .set({ currentAgendaItemId: item?.id ?? null })
      .where(and(eq(assemblies.organizationId, organizationId), eq(assemblies.id, assemblyId)))
    await appendAudit(tx, {
      action: 'assembly.agenda_item_current',
      organizationId,
      actorUserId: input.actor.userId,
      subject: assemblyId,
      data: { itemId: item?.id ?? null },
    })
    return item
  })
  await announceCommitted(deps, { organizationId, assemblyId, kinds: ['agenda'] })
  await publishToAssembly(deps, assemblyId, { type: 'agenda.current', item: current })
  return current
}
