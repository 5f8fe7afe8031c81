import { Elysia, t } from 'elysia'
import { fileOwnerProxy } from '../../../../../core/assemblies/owner-proxies.ts'
import { sendProxyFiled } from '../../../../../core/mail/proxy-filed.ts'
import { auth } from '../../../../_lib/auth.ts'
import { ErrorResponse } from '../../../../_lib/schemas.ts'
import { Uuid } from '../../_schemas.ts'
import { assemblyDeps, documentStorage } from '../_deps.ts'
import { AssemblyParams, attendanceTags, ProxySchema, proxyView } from '../_schemas.ts'
import { MAX_DOCUMENT_BYTES, readDocument } from './_proxy-document.ts'

const Choice = t.String({
  minLength: 1,
  maxLength: 60,
  description: "An option key of the motion, e.g. 'yes'",
})

/** An owner files a proxy (poder) for one of their own units; the holder is told by email. */
export default new Elysia().use(auth).post(
  '',
  async ({ services: s, params, body, user, membership }) => {
    const document = body.document ? await readDocument(body.document) : null
    const ownerPersonIds = membership?.personIds ?? []
    const proxy = await fileOwnerProxy(
      s.db,
      {
        ...params,
        grantorUnitId: body.grantorUnitId,
        ownerPersonIds,
        holder: body.holder,
        instructions: body.instructions ?? null,
        document,
        actor: { userId: user.id },
      },
      { ...assemblyDeps(s), storage: documentStorage(s) },
    )
    await sendProxyFiled(
      { db: s.db, mailer: s.mailer, publicUrl: s.config.publicUrl },
      { organizationId: params.organizationId, proxy, ownerPersonIds },
    )
    return proxyView(proxy)
  },
  {
    auth: 'member',
    params: AssemblyParams,
    body: t.Object(
      {
        grantorUnitId: Uuid,
        holder: t.Object(
          {
            email: t.Optional(t.Nullable(t.String({ maxLength: 254 }))),
            documentId: t.Optional(
              t.Nullable(t.String({ maxLength: 40, description: 'Cédula or passport' })),
            ),
            fullName: t.Optional(t.Nullable(t.String({ maxLength: 200 }))),
            phone: t.Optional(t.Nullable(t.String({ maxLength: 40 }))),
          },
          { additionalProperties: false },
        ),
        instructions: t.Optional(
          t.Nullable(
            t.Record(Uuid, Choice, {
              description: 'Directed proxy: the option key the holder must vote, by motion id',
            }),
          ),
        ),
        document: t.Optional(
          t.File({ description: `PDF, JPEG or PNG of at most ${MAX_DOCUMENT_BYTES} bytes` }),
        ),
      },
      { additionalProperties: false },
    ),
    response: {
      200: ProxySchema,
      403: ErrorResponse,
      404: ErrorResponse,
      409: ErrorResponse,
      413: ErrorResponse,
      415: ErrorResponse,
      422: ErrorResponse,
    },
    detail: {
      summary: 'File a proxy for my unit',
      description:
        'The signed-in owner names the holder of a proxy for one of their units: by email or cédula ' +
        '(found in the PH, or created with `fullName`; a non-owner is allowed), optionally directing ' +
        'the vote per motion (`instructions`: motion id → option key, which the holder’s ballot must ' +
        'then follow on every channel), with the signed document as multipart (`holder` and ' +
        '`instructions` as JSON text). When the PH requires approval the proxy is `pending` until an ' +
        'administrator decides. The holder is emailed (logged in the mail log). Errors: 403 ' +
        'not_unit_owner, 409 proxy_deadline_passed (the PH’s hours before the first call), 409 ' +
        'assembly_started, 409 proxy_exists, 409 proxy_cap_reached, 422 holder_owns_unit, 422 ' +
        'validation_failed (holder.email, holder.fullName, instructions.<motionId>), 413, 415.',
      tags: attendanceTags,
    },
  },
)
