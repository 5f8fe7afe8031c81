import { Elysia, t } from 'elysia'
import { signOffActa } from '../../../../../../core/acta/lifecycle.ts'
import { auth } from '../../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../../_lib/schemas.ts'
import { AssemblyParams } from '../../../motions/_schemas.ts'
import { ActaStateSchema, actaStateView, actaTags, SignOffRole } from './_schemas.ts'

/** Records the president's or the secretary's sign-off; with both, the acta is final and sealed. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user }) => {
    const state = await signOffActa(s.db, {
      ...params,
      role: body.role,
      signerName: body.signerName.trim(),
      hash: body.hash,
      actor: { userId: user.id },
    })
    return actaStateView(state)
  },
  {
    auth: 'ph-admin',
    params: AssemblyParams,
    body: t.Object(
      {
        role: SignOffRole,
        signerName: t.String({ minLength: 1, maxLength: 200, pattern: '\\S' }),
        hash: t.String({ pattern: '^[0-9a-f]{64}$', description: 'The acta’s hash as the signer read it' }),
      },
      { additionalProperties: false },
    ),
    response: { 200: ActaStateSchema, 404: ErrorResponse, 409: ErrorResponse, 422: ErrorResponse },
    detail: {
      summary: 'Sign the acta as president or secretary',
      description:
        'Errors: 409 acta_not_frozen, 409 acta_final, 409 acta_not_reviewed, 409 acta_changed ' +
        '(details: hash, the current one), 409 acta_already_signed (details: role).',
      tags: actaTags,
    },
  },
)
