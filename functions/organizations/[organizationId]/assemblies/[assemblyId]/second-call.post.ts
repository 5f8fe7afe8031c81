import { Elysia, t } from 'elysia'
import { switchToSecondCall } from '../../../../../core/assemblies/index.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { assemblyDeps } from '../_deps.ts'
import { AssemblyParams, assemblyTags, TransitionResultSchema, transitionView } from '../_schemas.ts'

/** Runs the meeting at its second call, with the lower quorum of the rule. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user }) => {
    const result = await switchToSecondCall(
      s.db,
      { ...params, note: body?.note ?? null, actor: { userId: user.id } },
      assemblyDeps(s),
    )
    return transitionView(result)
  },
  {
    auth: 'ph-admin',
    params: AssemblyParams,
    body: t.Optional(
      t.Object(
        { note: t.Optional(t.Nullable(t.String({ maxLength: 2000, description: 'Shown in the acta' }))) },
        { additionalProperties: false },
      ),
    ),
    response: {
      200: TransitionResultSchema,
      404: ErrorResponse,
      409: ErrorResponse,
    },
    detail: {
      summary: 'Switch an assembly to its second call',
      description:
        'Errors: 409 assembly_not_open (a draft), 409 assembly_closed, 409 already_second_call, ' +
        '409 second_call_not_allowed (the rule has none), 409 second_call_too_early.',
      tags: assemblyTags,
    },
  },
)
