import { Elysia } from 'elysia'
import { getAssembly, updateAssembly } from '../../../../core/assemblies/index.ts'
import { auth } from '../../../_lib/auth.ts'
import { ErrorResponse } from '../../../_lib/schemas.ts'
import { sendNoticeInBackground } from './_notice.ts'
import {
  AssemblyParams,
  AssemblySchema,
  assemblyInputOf,
  assemblyTags,
  assemblyView,
  UpdateAssemblyBody,
} from './_schemas.ts'

/** Edits an assembly; absent fields keep their value, null clears an optional one. */
export default new Elysia().use(auth).patch(
  '',
  async ({ services: s, params, body, user }) => {
    const before = await getAssembly(s.db, params)
    const assembly = await updateAssembly(
      s.db,
      { ...params, changes: assemblyInputOf(body), actor: { userId: user.id } },
      { changes: s.changes },
    )
    // After convening, a new date, time or place goes out as a corrected notice (both stay in the log).
    const noticed = ['firstCallAt', 'secondCallAt', 'location', 'meetingUrl'] as const
    const changed = noticed.filter((key) => String(before?.[key] ?? '') !== String(assembly[key] ?? ''))
    if (assembly.status === 'convened' && changed.length > 0)
      sendNoticeInBackground(s, { ...params, corrected: true, changed: [...changed] })
    return assemblyView(assembly)
  },
  {
    auth: 'ph-admin',
    params: AssemblyParams,
    body: UpdateAssemblyBody,
    response: { 200: AssemblySchema, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    detail: {
      summary: 'Edit an assembly',
      description:
        'Errors: 409 assembly_closed (closed or cancelled), 409 assembly_started (details.fields: ' +
        'call fields and the quorum rule are fixed once the meeting has started), 422 validation_failed.',
      tags: assemblyTags,
    },
  },
)
