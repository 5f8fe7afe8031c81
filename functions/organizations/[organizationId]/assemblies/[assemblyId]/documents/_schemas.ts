import type { AssemblyDocument } from '../../../../../../core/assemblies/documents.ts'
import { AssemblyDocumentSchema } from '../../../../../../core/assemblies/schemas.ts'

/** Largest assembly document accepted (the request must also fit BODY_LIMIT_BYTES). */
export const MAX_ASSEMBLY_DOCUMENT_BYTES = 10 * 1024 * 1024

/** The document's shape is owned by core (core/assemblies/schemas.ts). */
export { AssemblyDocumentSchema }

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
