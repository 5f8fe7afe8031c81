import { Elysia, t } from 'elysia'
import { listDocuments } from '../../../../../core/assemblies/documents.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { AssemblyParams } from '../_schemas.ts'
import { AssemblyDocumentSchema, documentView } from './documents/_schemas.ts'

/** The documents of an assembly (financial statements, budget, quotes), for every member of the PH. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params }) => ({
    documents: (await listDocuments(s.db, params)).map(documentView),
  }),
  {
    auth: 'member',
    params: AssemblyParams,
    response: { 200: t.Object({ documents: t.Array(AssemblyDocumentSchema) }), 404: ErrorResponse },
    detail: { summary: 'Documents of an assembly', tags: ['assemblies'] },
  },
)
