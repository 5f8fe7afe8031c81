import { Elysia } from 'elysia'
import { createCheckInToken, getAssembly } from '../../../../../../core/assemblies/index.ts'
import { requireLinkedPerson } from '../../../../../../core/assemblies/linked-person.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { AppError } from '../../../../../_lib/errors.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { checkInKey } from '../../_deps.ts'
import { AssemblyParams, AttendeeCodeSchema, attendanceTags } from '../../_schemas.ts'

/** The signed-in person's check-in code for this assembly: the desk scans it as a QR. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, user }) => {
    const { organizationId, assemblyId } = params
    const assembly = await getAssembly(s.db, params)
    if (!assembly) throw new AppError(404, 'not_found', 'Assembly not found', { resource: 'Assembly' })
    const person = await requireLinkedPerson(s.db, organizationId, { userId: user.id })
    const token = createCheckInToken(checkInKey(s), { assemblyId, personId: person.id })
    return { assemblyId, personId: person.id, fullName: person.fullName, token }
  },
  {
    auth: 'member',
    params: AssemblyParams,
    response: {
      200: AttendeeCodeSchema,
      403: ErrorResponse,
      404: ErrorResponse,
    },
    detail: { summary: 'My check-in code (QR) for an assembly', tags: attendanceTags },
  },
)
