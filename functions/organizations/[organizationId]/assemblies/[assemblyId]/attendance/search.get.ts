import { Elysia, t } from 'elysia'
import { searchAttendees } from '../../../../../../core/assemblies/index.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse, queryInteger } from '../../../../../_lib/schemas.ts'
import { AssemblyParams, AttendeeMatchSchema, attendanceTags } from '../../_schemas.ts'

/** Finds units for the desk by number, owner or proxy-holder name, email or document id. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, query }) => {
    const matches = await searchAttendees(s.db, { ...params, query: query.q, limit: query.limit })
    return {
      matches: matches.map((match) => ({
        ...match,
        proxy: match.proxy && { ...match.proxy, validUntil: match.proxy.validUntil?.toISOString() ?? null },
        attendance: match.attendance && {
          ...match.attendance,
          checkedInAt: match.attendance.checkedInAt.toISOString(),
        },
      })),
    }
  },
  {
    auth: 'checkin-staff',
    params: AssemblyParams,
    query: t.Object({
      q: t.String({ maxLength: 200, description: 'Unit number (prefix), name, email or cédula' }),
      limit: t.Optional(queryInteger('limit', { minimum: 1, maximum: 100 })),
    }),
    response: { 200: t.Object({ matches: t.Array(AttendeeMatchSchema) }), 404: ErrorResponse },
    detail: {
      summary: 'Search attendees at the desk',
      description: 'Exact unit numbers first; accents and case are ignored. Each match says who may attend.',
      tags: attendanceTags,
    },
  },
)
