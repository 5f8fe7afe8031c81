import { Elysia, status, t } from 'elysia'
import { myAssemblyView } from '../../../../../core/assemblies/me.ts'
import { auth } from '../../../../_lib/auth.ts'
import { errorBody } from '../../../../_lib/errors.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'

const VotableUnitSchema = t.Object({
  unitId: t.String(),
  number: t.String(),
  coefficient: t.String(),
  upToDate: t.Boolean(),
  present: t.Boolean(),
  role: t.Union([t.Literal('owner'), t.Literal('proxy')]),
  proxyId: t.Nullable(t.String()),
})

const MyProxySchema = t.Object({
  proxyId: t.String(),
  unitId: t.String(),
  unitNumber: t.String(),
  holderName: t.String(),
  status: t.Union([t.Literal('active'), t.Literal('pending'), t.Literal('refused')]),
  /** Why the administration refused it (status 'refused'). */
  reason: t.Nullable(t.String()),
  instructions: t.Nullable(t.Record(t.String(), t.String())),
  validUntil: t.Nullable(t.String()),
})

/**
 * The signed-in owner's or proxy holder's view of an assembly: the units they may vote (owned, or
 * held by proxy, with presence), the units they own with their up-to-date status, the proxies they gave (active or
 * awaiting approval) and hold, and the PH's rules for owner-filed proxies.
 */
export default new Elysia().use(auth).get(
  '',
  async ({ services: s, params, membership }) => {
    const view = await myAssemblyView(s.db, { ...params, personIds: membership?.personIds ?? [] })
    return view ?? status(404, errorBody('not_found', 'Assembly not found'))
  },
  {
    auth: 'member',
    params: t.Object({
      organizationId: t.String({ format: 'uuid' }),
      assemblyId: t.String({ format: 'uuid' }),
    }),
    response: {
      200: t.Object({
        units: t.Array(VotableUnitSchema),
        ownedUnits: t.Array(t.Object({ unitId: t.String(), number: t.String(), upToDate: t.Boolean() }), {
          description: 'Every unit the person owns, with its up-to-date status',
        }),
        proxiesGiven: t.Array(MyProxySchema, {
          description: 'Active, pending or refused proxies of my units',
        }),
        proxiesHeld: t.Array(
          t.Composite([
            MyProxySchema,
            t.Object({
              upToDate: t.Boolean(),
              grantorName: t.String({
                description: "The grantor unit's representative owner (empty if the unit has no owner)",
              }),
            }),
          ]),
          { description: 'Active or pending proxies I hold' },
        ),
        proxyRules: t.Object({
          needsApproval: t.Boolean(),
          deadlineHours: t.Integer(),
          deadline: t.String({ description: 'Last moment an owner may file a proxy' }),
        }),
      }),
      404: ErrorResponse,
    },
    detail: { summary: 'My units and proxies in an assembly', tags: ['attendance'] },
  },
)
