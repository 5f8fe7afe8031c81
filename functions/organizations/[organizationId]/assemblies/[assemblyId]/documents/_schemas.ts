import { t } from 'elysia'
import type { AssemblyDocument } from '../../../../../../core/assemblies/documents.ts'
import { Timestamp, Uuid } from '../../../_schemas.ts'

/** Largest assembly document accepted (the request must also fit BODY_LIMIT_BYTES). */
export const MAX_ASSEMBLY_DOCUMENT_BYTES = 10 * 1024 * 1024

export const AssemblyDocumentSchema = t.Object({
  id: Uuid,
  assemblyId: Uuid,
  agendaItemId: t.Nullable(Uuid),
  title: t.String(),
  fileName: t.String(),
  contentType: t.String(),
  sizeBytes: t.Integer(),
  createdAt: Timestamp,
})

export function documentView(document: AssemblyDocument) {
  return {
    id: document.id,
    assemblyId: document.assemblyId,
    agendaItemId: document.agendaItemId,
    title: document.title,
    fileName: document.fileName,
    contentType: document.contentType,
    sizeBytes: document.sizeBytes,
    createdAt: document.createdAt.toISOString(),
  }
}
