import { Elysia } from 'elysia'
import { getPerson } from '../../../../core/ph/index.ts'
import { auth } from '../../../_lib/auth.ts'
import { AppError } from '../../../_lib/errors.ts'
import { ErrorResponse } from '../../../_lib/schemas.ts'
import { PersonParams, PersonSchema, personView } from '../_schemas.ts'

/** One person of the PH. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params }) => {
    const person = await getPerson(s.db, params)
    if (!person) throw new AppError(404, 'not_found', 'Person not found', { resource: 'Person' })
    return personView(person)
  },
  {
    auth: 'checkin-staff',
    params: PersonParams,
    response: { 200: PersonSchema, 404: ErrorResponse },
    detail: { summary: 'Show a person', tags: ['people'] },
  },
)
