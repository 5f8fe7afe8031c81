import { Elysia, t } from 'elysia'
import { transitionAssembly } from '../../../../../core/assemblies/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { assemblyDeps } from '../_deps.ts'
import { sendNoticeInBackground } from '../_notice.ts'
import { AssemblyParams, assemblyTags, TransitionResultSchema, transitionView } from '../_schemas.ts'

/**
 * Moves the assembly along draft → convened → in_progress ⇄ suspended → closed (or cancels it).
 * `in_progress` starts a convened meeting and resumes a suspended one.
 */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user }) => {
    const result = await transitionAssembly(
      s.db,
      {
        ...params,
        to: body.to,
        note: body.note ?? null,
        windowOverrideReason: body.windowOverrideReason ?? null,
        earlyStartReason: body.earlyStartReason ?? null,
        actor: { userId: user.id },
      },
      assemblyDeps(s),
    )
    // Convening publishes the notice: every owner and proxy holder with an email gets it.
    if (body.to === 'convened') sendNoticeInBackground(s, { ...params, corrected: false })
    return transitionView(result)
  },
  {
    auth: 'ph-admin',
    params: AssemblyParams,
    body: t.Object(
      {
        to: t.Union([
          t.Literal('convened'),
          t.Literal('in_progress'),
          t.Literal('suspended'),
          t.Literal('closed'),
          t.Literal('cancelled'),
        ]),
        note: t.Optional(t.Nullable(t.String({ maxLength: 2000, description: 'Shown in the acta' }))),
        windowOverrideReason: t.Optional(
          t.Nullable(
            t.String({
              maxLength: 2000,
              description: "Why the notice goes out outside the PH's window (convening only; audited)",
            }),
          ),
        ),
        earlyStartReason: t.Optional(
          t.Nullable(
            t.String({
              maxLength: 2000,
              description:
                'Required to start before the first-call time (409 first_call_too_early); shown in the acta',
            }),
          ),
        ),
      },
      { additionalProperties: false },
    ),
    response: {
      200: TransitionResultSchema,
      404: ErrorResponse,
      409: ErrorResponse,
      422: ErrorResponse,
    },
    detail: {
      summary: 'Convene, start, suspend, resume, close or cancel an assembly',
      description:
        'Errors: 409 invalid_transition (details from, to), 409 assembly_closed, 409 motion_open ' +
        '(closing with an open motion), 422 incomplete_call (details.missing: location, meetingUrl, ' +
        'secondCallAt, convenedBy, convenerPosition, agenda), 422 notice_window (details days, min, max: ' +
        'send again with windowOverrideReason to convene anyway), 409 first_call_too_early ' +
        '(starting before the first call without earlyStartReason).',
      tags: assemblyTags,
    },
  },
)
