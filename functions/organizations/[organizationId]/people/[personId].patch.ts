import { Elysia } from 'elysia'
import { updatePerson } from '../../../../core/ph/index.ts'
import { auth } from '../../../_lib/auth.ts'
import { ErrorResponse } from '../../../_lib/schemas.ts'
import { PersonParams, PersonSchema, personView, UpdatePersonBody } from '../_schemas.ts'

/** Changes a person's name or contact details; absent fields keep their value, null clears one. */
export default new Elysia().use(auth).patch(
  '',
  async ({ services: s, params, body, user }) => {
    const person = await updatePerson(
      s.db,
      { ...params, changes: body, actor: { userId: user.id } },
      { changes: s.changes },
    )
    return personView(person)
  },
  {
    auth: 'ph-admin',
    params: PersonParams,
    body: UpdatePersonBody,
    response: { 200: PersonSchema, 404: ErrorResponse, 422: ErrorResponse },
    detail: { summary: 'Edit a person', description: 'Errors: 422 validation_failed.', tags: ['people'] },
  },
)
