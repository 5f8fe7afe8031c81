import { Elysia, t } from 'elysia'
import { deleteDocument } from '../../../../../../core/assemblies/documents.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { Uuid } from '../../../_schemas.ts'
import { documentStorage } from '../../_deps.ts'

/** Removes a document from the assembly. */
export default new Elysia().use(auth).delete(
  '',
  async ({ services: s, params }) => {
    await deleteDocument(s.db, params, { storage: documentStorage(s) })
    return { deleted: true as const }
  },
  {
    auth: 'ph-admin',
    params: t.Object({ organizationId: Uuid, assemblyId: Uuid, documentId: Uuid }),
    response: { 200: t.Object({ deleted: t.Literal(true) }), 404: ErrorResponse },
    detail: { summary: 'Remove an assembly document', tags: ['assemblies'] },
  },
)
