import { Elysia, t } from 'elysia'
import { getProxyDocument } from '../../../../../../../core/assemblies/index.ts'
import { auth } from '../../../../../../_lib/auth.ts'
import { AppError } from '../../../../../../_lib/errors.ts'
import { ErrorResponse } from '../../../../../../_lib/schemas.ts'
import { Uuid } from '../../../../_schemas.ts'
import { documentStorage } from '../../../_deps.ts'
import { attendanceTags } from '../../../_schemas.ts'
import { documentDownload, documentTypeOf } from '../../_proxy-document.ts'

/** The signed document of a proxy, with its content type. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, set }) => {
    const { organizationId, assemblyId, proxyId } = params
    const bytes = await getProxyDocument(
      s.db,
      { organizationId, proxyId, assemblyId },
      { storage: documentStorage(s) },
    )
    if (!bytes) throw new AppError(404, 'not_found', 'This proxy has no document', { resource: 'Document' })
    const type = documentTypeOf(bytes) ?? { contentType: 'application/octet-stream', extension: 'bin' }
    return documentDownload(set, {
      contentType: type.contentType,
      disposition: `attachment; filename="poder-${proxyId}.${type.extension}"`,
      bytes,
    })
  },
  {
    auth: 'checkin-staff',
    params: t.Object({ organizationId: Uuid, assemblyId: Uuid, proxyId: Uuid }),
    response: {
      200: t.Uint8Array({ description: 'application/pdf, image/jpeg or image/png' }),
      404: ErrorResponse,
    },
    detail: { summary: 'Download the signed document of a proxy', tags: attendanceTags },
  },
)
