import { Elysia, t } from 'elysia'
import { attachDocument } from '../../../../../core/assemblies/documents.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { Uuid } from '../../_schemas.ts'
import { documentStorage } from '../_deps.ts'
import { AssemblyParams } from '../_schemas.ts'
import { readDocument } from './_proxy-document.ts'
import { AssemblyDocumentSchema, documentView, MAX_ASSEMBLY_DOCUMENT_BYTES } from './documents/_schemas.ts'

/** The administrator attaches a document (PDF, JPEG or PNG) to the assembly or one of its agenda items. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user }) => {
    const file = body.file
    const { bytes, ...detected } = await readDocument(file, {
      limit: MAX_ASSEMBLY_DOCUMENT_BYTES,
      field: 'file',
    })
    const document = await attachDocument(
      s.db,
      {
        ...params,
        agendaItemId: body.agendaItemId ?? null,
        title: body.title,
        fileName: file.name || `documento.${detected.extension}`,
        contentType: detected.contentType,
        bytes,
        actor: { userId: user.id },
      },
      { storage: documentStorage(s) },
    )
    return documentView(document)
  },
  {
    auth: 'ph-admin',
    params: AssemblyParams,
    body: t.Object(
      {
        title: t.String({ minLength: 1, maxLength: 200 }),
        agendaItemId: t.Optional(t.Nullable(Uuid)),
        file: t.File({ description: `PDF, JPEG or PNG of at most ${MAX_ASSEMBLY_DOCUMENT_BYTES} bytes` }),
      },
      { additionalProperties: false },
    ),
    response: {
      200: AssemblyDocumentSchema,
      404: ErrorResponse,
      413: ErrorResponse,
      415: ErrorResponse,
      422: ErrorResponse,
    },
    detail: {
      summary: 'Attach a document to an assembly',
      description:
        'multipart/form-data: `title`, optional `agendaItemId`, and `file` (PDF, JPEG or PNG, told by its ' +
        'content, at most 10 MiB and within BODY_LIMIT_BYTES). Owners read it before and during the ' +
        'meeting. Errors: 413 too large, 415 other type, 422 validation_failed (title, agendaItemId).',
      tags: ['assemblies'],
    },
  },
)
