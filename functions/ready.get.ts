import { Elysia, status, t } from 'elysia'
import { checkReadiness } from '../core/readiness.ts'
import { services } from './_lib/services.ts'

/** Readiness: the database and the bus answer. 503 while either does not. */
export default new Elysia().use(services).get(
  '',
  async ({ services }) => {
    const report = await checkReadiness({ database: services.database, bus: services.bus })
    return report.ready ? report : status(503, report)
  },
  {
    detail: { summary: 'Database and Redis answer', tags: ['operations'] },
    response: {
      200: t.Object({ ready: t.Boolean(), database: t.Boolean(), bus: t.Boolean() }),
      503: t.Object({ ready: t.Boolean(), database: t.Boolean(), bus: t.Boolean() }),
    },
  },
)
