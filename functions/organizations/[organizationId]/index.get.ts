import { Elysia } from 'elysia'
import { getOrganization } from '../../../core/ph/index.ts'
import { auth } from '../../_lib/auth.ts'
import { AppError } from '../../_lib/errors.ts'
import { ErrorResponse } from '../../_lib/schemas.ts'
import { OrganizationParams, OrganizationSchema, organizationView } from './_schemas.ts'

/** The PH's details, for anyone with a role in it. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params }) => {
    const organization = await getOrganization(s.db, params)
    if (!organization) throw new AppError(404, 'not_found', 'Organization not found')
    return organizationView(organization)
  },
  {
    auth: 'member',
    params: OrganizationParams,
    response: { 200: OrganizationSchema, 404: ErrorResponse },
    detail: { summary: 'Show a PH', tags: ['organizations'] },
  },
)
