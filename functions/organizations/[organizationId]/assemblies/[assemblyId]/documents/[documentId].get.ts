import { Elysia, t } from 'elysia'
import { openDocument } from '../../../../../../core/assemblies/documents.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { Uuid } from '../../../_schemas.ts'
import { documentStorage } from '../../_deps.ts'
import { documentDownload } from '../_proxy-document.ts'

/** Downloads a document of the assembly, for every member of the PH. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, set }) => {
    const { document, bytes } = await openDocument(s.db, params, { storage: documentStorage(s) })
    return documentDownload(set, {
      contentType: document.contentType,
      disposition: `inline; filename*=UTF-8''${encodeURIComponent(document.fileName)}`,
      bytes,
    })
  },
  {
    auth: 'member',
    params: t.Object({ organizationId: Uuid, assemblyId: Uuid, documentId: Uuid }),
    response: {
      200: t.Uint8Array({ description: 'application/pdf, image/jpeg or image/png' }),
      404: ErrorResponse,
    },
    detail: { summary: 'Download an assembly document', tags: ['assemblies'] },
  },
)
