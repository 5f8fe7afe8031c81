import { Elysia, t } from 'elysia'
import { communicationsOverview } from '../../../../../core/communications/overview.ts'
import { listCommunications } from '../../../../../core/communications/report.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { AssemblyParams } from '../_schemas.ts'
import {
  CommunicationSchema,
  communicationTags,
  communicationView,
  OverviewSchema,
  overviewView,
} from './communications/_schemas.ts'

/** Everything sent to the owners about an assembly, newest first, with counts by unit; and the art. 71 deadline. */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params }) => {
    const [overview, list] = await Promise.all([
      communicationsOverview(s.db, params),
      listCommunications(s.db, params),
    ])
    return { overview: overviewView(overview), communications: list.map(communicationView) }
  },
  {
    auth: 'ph-admin',
    params: AssemblyParams,
    response: {
      200: t.Object({ overview: OverviewSchema, communications: t.Array(CommunicationSchema) }),
      404: ErrorResponse,
    },
    detail: { summary: 'Communications of an assembly', tags: communicationTags },
  },
)
