import { Elysia } from 'elysia'
import { createAssembly } from '../../../core/assemblies/index.ts'
import { auth } from '../../_lib/auth.ts'
import { ErrorResponse } from '../../_lib/schemas.ts'
import { OrganizationParams } from './_schemas.ts'
import {
  AssemblySchema,
  assemblyInputOf,
  assemblyTags,
  assemblyView,
  CreateAssemblyBody,
} from './assemblies/_schemas.ts'

/** Creates a draft assembly with the next acta number of the PH. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user }) =>
    assemblyView(
      await createAssembly(s.db, {
        ...params,
        assembly: assemblyInputOf(body),
        actor: { userId: user.id },
      }),
    ),
  {
    auth: 'ph-admin',
    params: OrganizationParams,
    body: CreateAssemblyBody,
    response: { 200: AssemblySchema, 404: ErrorResponse, 422: ErrorResponse },
    detail: {
      summary: 'Create an assembly (draft)',
      description:
        '`quorumRule` is a preset name (e.g. bylaws-coefficient-any-present) or a rule object. Errors: 422 ' +
        'validation_failed (an unknown preset, a second call not after the first, a bad link).',
      tags: assemblyTags,
    },
  },
)
