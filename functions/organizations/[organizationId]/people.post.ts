import { Elysia } from 'elysia'
import { createPerson } from '../../../core/ph/index.ts'
import { auth } from '../../_lib/auth.ts'
import { ErrorResponse } from '../../_lib/schemas.ts'
import { CreatePersonBody, OrganizationParams, PersonSchema, personView } from './_schemas.ts'

/** Adds an owner or proxy holder to the PH. */
export default new Elysia()
  .use(auth)
  .post(
    '',
    async ({ services: s, params, body, user }) =>
      personView(await createPerson(s.db, { ...params, person: body, actor: { userId: user.id } })),
    {
      auth: 'ph-admin',
      params: OrganizationParams,
      body: CreatePersonBody,
      response: { 200: PersonSchema, 404: ErrorResponse, 422: ErrorResponse },
      detail: {
        summary: 'Create a person',
        description:
          'Phones are stored in E.164 (Panamanian numbers may omit +507). Errors: 422 validation_failed.',
        tags: ['people'],
      },
    },
  )
