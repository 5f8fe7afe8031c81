import { and, asc, eq } from 'drizzle-orm'
import type { Database } from '../../db/client.ts'
import { agendaItems, assemblyDocuments } from '../../db/schema/index.ts'
import { withTenant } from '../../db/tenant.ts'
import { invalidField, notFound } from '../ph/errors.ts'
import type { Actor } from '../ph/types.ts'
import { isUuid, requireText } from '../ph/validation.ts'
import { findAssembly } from './guards.ts'
import { type DocumentStorage, newDocumentKey } from './storage.ts'

/** Financial statements, budgets, quotes: what owners read before and during the meeting. */
export type AssemblyDocument = Omit<typeof assemblyDocuments.$inferSelect, 'storageKey'>

const columns = {
  id: assemblyDocuments.id,
  organizationId: assemblyDocuments.organizationId,
  assemblyId: assemblyDocuments.assemblyId,
  agendaItemId: assemblyDocuments.agendaItemId,
  title: assemblyDocuments.title,
  fileName: assemblyDocuments.fileName,
  contentType: assemblyDocuments.contentType,
  sizeBytes: assemblyDocuments.sizeBytes,
  createdByUserId: assemblyDocuments.createdByUserId,
  createdAt: assemblyDocuments.createdAt,
}

/**
 * Attaches a document to an assembly or one of its agenda items. The caller has checked its type and
 * size. Throws 404 `not_found` (assembly), 422 `validation_failed` (title, agendaItemId).
 */
export async function attachDocument(
  db: Database,
  input: {
    organizationId: string
    assemblyId: string
    agendaItemId?: string | null
    title: string
    fileName: string
    contentType: string
    bytes: Uint8Array
    actor: Actor
  },
  deps: { storage: DocumentStorage },
): Promise<AssemblyDocument> {
  const { organizationId, assemblyId } = input
  const title = requireText('title', input.title, 200)
  const fileName = input.fileName.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 120) || 'documento'
  const key = newDocumentKey(organizationId)
  await deps.storage.put(key, input.bytes, input.contentType)
  try {
    return await withTenant(db, organizationId, async (tx) => {
      await findAssembly(tx, organizationId, assemblyId)
      if (input.agendaItemId) {
        const [item] = isUuid(input.agendaItemId)
          ? await tx
              .select({ id: agendaItems.id })
              .from(agendaItems)
              .where(
                and(
                  eq(agendaItems.organizationId, organizationId),
                  eq(agendaItems.assemblyId, assemblyId),
                  eq(agendaItems.id, input.agendaItemId),
                ),
              )
          : []
        if (!item) throw invalidField('agendaItemId', 'is not an agenda item of this assembly')
      }
      const [row] = await tx
        .insert(assemblyDocuments)
        .values({
          organizationId,
          assemblyId,
          agendaItemId: input.agendaItemId ?? null,
          title,
          fileName,
          contentType: input.contentType,
          sizeBytes: input.bytes.byteLength,
          storageKey: key,
          createdByUserId: input.actor.userId,
        })
        .returning(columns)
      return row!
    })
  } catch (error) {
    await deps.storage.delete(key).catch(() => undefined)
    throw error
  }
}

/** The documents of an assembly, in the order they were attached. Throws 404 for an unknown assembly. */
export async function listDocuments(
  db: Database,
  input: { organizationId: string; assemblyId: string },
): Promise<AssemblyDocument[]> {
  return withTenant(db, input.organizationId, async (tx) => {
    await findAssembly(tx, input.organizationId, input.assemblyId)
    return tx
      .select(columns)
      .from(assemblyDocuments)
      .where(
        and(
          eq(assemblyDocuments.organizationId, input.organizationId),
          eq(assemblyDocuments.assemblyId, input.assemblyId),
        ),
      )
      .orderBy(asc(assemblyDocuments.createdAt))
  })
}

/** One document with its bytes. Throws 404 `not_found` (also for another PH's or assembly's). */
export async function openDocument(
  db: Database,
  input: { organizationId: string; assemblyId: string; documentId: string },
  deps: { storage: DocumentStorage },
): Promise<{ document: AssemblyDocument; bytes: Uint8Array }> {
  const row = await findDocument(db, input)
  const bytes = await deps.storage.get(row.storageKey)
  if (!bytes) throw notFound('Document')
  const { storageKey: _, ...document } = row
  return { document, bytes }
}

/** Removes a document and its bytes. Throws 404 `not_found`. */
export async function deleteDocument(
  db: Database,
  input: { organizationId: string; assemblyId: string; documentId: string },
  deps: { storage: DocumentStorage },
): Promise<void> {
  const row = await findDocument(db, input)
  await withTenant(db, input.organizationId, (tx) =>
    tx.delete(assemblyDocuments).where(eq(assemblyDocuments.id, row.id)),
  )
  await deps.storage.delete(row.storageKey).catch(() => undefined)
}

async function findDocument(
  db: Database,
  input: { organizationId: string; assemblyId: string; documentId: string },
) {
  if (!isUuid(input.documentId)) throw notFound('Document')
  const [row] = await withTenant(db, input.organizationId, (tx) =>
    tx
      .select()
      .from(assemblyDocuments)
      .where(
        and(
          eq(assemblyDocuments.organizationId, input.organizationId),
          eq(assemblyDocuments.assemblyId, input.assemblyId),
          eq(assemblyDocuments.id, input.documentId),
        ),
      ),
  )
  if (!row) throw notFound('Document')
  return row
}
