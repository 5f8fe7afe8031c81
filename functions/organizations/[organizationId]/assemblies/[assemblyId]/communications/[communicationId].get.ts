import { Elysia, t } from 'elysia'
import { getCommunication } from '../../../../../../core/communications/report.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { Timestamp, Uuid } from '../../../_schemas.ts'
import { communicationTags, UnitDeliveriesSchema, unitView } from './_schemas.ts'

const csvCell = (value: string | null) => `"${(value ?? '').replace(/"/g, '""')}"`

/** One communication as sent and what reached each unit (`?state=failed` for the failures; `?format=csv`). */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, query, set }) => {
    const { communication, units } = await getCommunication(s.db, params)
    const shown = query.state ? units.filter((unit) => unit.state === query.state) : units
    if (query.format === 'csv') {
      set.headers['content-type'] = 'text/csv; charset=utf-8'
      set.headers['content-disposition'] =
        `attachment; filename="${communication.kind}-${communication.id}.csv"`
      const lines = ['unit,state,channel,recipient,name,status,error,note,at']
      for (const unit of shown)
        for (const row of unit.deliveries)
          lines.push(
            [
              unit.unitNumber,
              unit.state,
              row.channel,
              row.recipient,
              row.personName,
              row.status,
              row.error,
              row.note,
            ]
              .map(csvCell)
              .concat(row.updatedAt.toISOString())
              .join(','),
          )
      return `${lines.join('\r\n')}\r\n`
    }
    return {
      id: communication.id,
      kind: communication.kind,
      trigger: communication.trigger,
      subject: communication.subject,
      text: communication.text,
      html: communication.html,
      createdAt: communication.createdAt.toISOString(),
      units: shown.map(unitView),
    }
  },
  {
    auth: 'ph-admin',
    params: t.Object({ organizationId: Uuid, assemblyId: Uuid, communicationId: Uuid }),
    query: t.Object({
      state: t.Optional(
        t.Union([t.Literal('reached'), t.Literal('pending'), t.Literal('failed'), t.Literal('no_contact')]),
      ),
      format: t.Optional(t.Union([t.Literal('json'), t.Literal('csv')])),
    }),
    response: {
      200: t.Union([
        t.Object({
          id: Uuid,
          kind: t.String(),
          trigger: t.String(),
          subject: t.String(),
          text: t.String(),
          html: t.String(),
          createdAt: Timestamp,
          units: t.Array(UnitDeliveriesSchema),
        }),
        t.String({ description: 'text/csv' }),
      ]),
      404: ErrorResponse,
      422: ErrorResponse,
    },
    detail: { summary: 'One communication, unit by unit', tags: communicationTags },
  },
)
