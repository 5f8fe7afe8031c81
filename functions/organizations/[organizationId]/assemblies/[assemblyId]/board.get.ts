import { Elysia, t } from 'elysia'
import { getBoard } from '../../../../../core/assemblies/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { Uuid } from '../../_schemas.ts'
import { AssemblyParams, attendanceTags } from '../_schemas.ts'

const BoardUnit = t.Object({
  unitId: Uuid,
  number: t.String(),
  tower: t.Nullable(
    t.String({ description: 'Read from the unit number (prefix before "-", "/", "." or a space)' }),
  ),
  floor: t.Nullable(
    t.String({ description: 'Read from the unit number (digits but the last two, or the leading digits)' }),
  ),
  upToDate: t.Boolean(),
  presence: t.Union([t.Literal('in_person'), t.Literal('remote'), t.Literal('proxy'), t.Literal('absent')]),
  attendee: t.Nullable(t.String()),
  attendeePersonId: t.Nullable(Uuid),
  owners: t.Array(t.String()),
  voted: t.Nullable(t.Boolean({ description: 'Whether the unit has voted on the motion; never how' })),
})

/** The live board: every unit with its presence, arrears and whether it voted on the open motion. */
export default new Elysia()
  .use(auth)
  .get(
    '',
    ({ services: s, params, query }) =>
      getBoard(s.db, { ...params, motionId: query.motionId }, (motionId) => s.votes.votedUnitIds(motionId)),
    {
      auth: 'checkin-staff',
      params: AssemblyParams,
      query: t.Object({ motionId: t.Optional(Uuid) }),
      response: {
        200: t.Object({
          motion: t.Nullable(t.Object({ id: Uuid, title: t.String(), secret: t.Boolean() })),
          units: t.Array(BoardUnit),
        }),
        404: ErrorResponse,
      },
      detail: {
        summary: 'Live board of the units in an assembly',
        description:
          'Every unit: present in person, remotely or by proxy, or absent; up to date or in arrears; voted or not on the given motion (default: the open motion). Never how a unit voted.',
        tags: attendanceTags,
      },
    },
  )
